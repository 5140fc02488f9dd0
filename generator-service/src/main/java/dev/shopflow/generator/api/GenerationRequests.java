package dev.shopflow.generator.api;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.generator.domain.GenerationParams;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Generation parameters from a run's body or a dataset's query, checked once for both (400 naming each field). */
final class GenerationRequests {

    static final int MAX_DAYS = 3660;

    private GenerationRequests() {
    }

    static GenerationParams validate(GenerationRunRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r == null || r.from() == null) {
            errors.add(new Problem.FieldError("from", "from is required (YYYY-MM-DD)"));
            throw new ProblemException(Problem.validation(errors));
        }
        var to = r.to() == null ? r.from() : r.to();
        if (to.isBefore(r.from())) {
            errors.add(new Problem.FieldError("to", "to must not be before from"));
        } else if (ChronoUnit.DAYS.between(r.from(), to) >= MAX_DAYS) {
            errors.add(new Problem.FieldError("to", "a run covers at most " + MAX_DAYS + " days"));
        }
        int orders = r.ordersPerDay() == null ? GenerationParams.DEFAULT_ORDERS_PER_DAY : r.ordersPerDay();
        if (orders < 1 || orders > 100_000) {
            errors.add(new Problem.FieldError("orders_per_day", "orders_per_day must be between 1 and 100000"));
        }
        double defectRate = r.defectRate() == null ? 0.0 : r.defectRate();
        if (!(defectRate >= 0 && defectRate <= 1)) {
            errors.add(new Problem.FieldError("defect_rate", "defect_rate must be between 0 and 1"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.validation(errors));
        }
        return new GenerationParams(r.from(), to, orders, r.seed() == null ? GenerationParams.DEFAULT_SEED : r.seed(),
                defectRate);
    }


    static GenerationParams fromQuery(String from, String to, String seed, String ordersPerDay, String defectRate) {
        List<Problem.FieldError> errors = new ArrayList<>();
        LocalDate f = date("from", from, errors);
        LocalDate t = to == null ? null : date("to", to, errors);
        Long s = number("seed", seed, errors, Long::parseLong);
        Integer o = number("orders_per_day", ordersPerDay, errors, Integer::parseInt);
        Double d = number("defect_rate", defectRate, errors, Double::parseDouble);
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.validation(errors));
        }
        return validate(new GenerationRunRequest(f, t, o, s, d));
    }

    private static LocalDate date(String name, String value, List<Problem.FieldError> errors) {
        if (value == null) {
            errors.add(new Problem.FieldError(name, name + " is required (YYYY-MM-DD)"));
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(name, name + " must be a date (YYYY-MM-DD)"));
            return null;
        }
    }

    private static <T> T number(String name, String value, List<Problem.FieldError> errors,
            java.util.function.Function<String, T> parse) {
        if (value == null) {
            return null;
        }
        try {
            return parse.apply(value.strip());
        } catch (NumberFormatException e) {
            errors.add(new Problem.FieldError(name, name + " must be a number"));
            return null;
        }
    }
}
