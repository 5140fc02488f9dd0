package dev.shopflow.generator.api;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.DataBounds;
import dev.shopflow.generator.domain.Demand;
import dev.shopflow.generator.domain.GenerationParams;
import dev.shopflow.generator.domain.ShopProfile;
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
        boolean datesInBounds = inBounds("from", r.from(), errors) & inBounds("to", to, errors);
        if (!datesInBounds) {
            // nothing below means anything for such dates
        } else if (to.isBefore(r.from())) {
            errors.add(new Problem.FieldError("to", "to must not be before from"));
        } else if (ChronoUnit.DAYS.between(r.from(), to) >= MAX_DAYS) {
            errors.add(new Problem.FieldError("to", "a run covers at most " + MAX_DAYS + " days"));
        }
        int orders = r.ordersPerDay() == null ? GenerationParams.DEFAULT_ORDERS_PER_DAY : r.ordersPerDay();
        if (orders < 1 || orders > 100_000) {
            errors.add(new Problem.FieldError("orders_per_day", "orders_per_day must be between 1 and 100000"));
        } else if (datesInBounds && errors.isEmpty()) {
            busiestDay(orders, r.from(), to).ifPresent(errors::add);
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


    private static boolean inBounds(String name, LocalDate day, List<Problem.FieldError> errors) {
        if (day.isBefore(DataBounds.OLDEST_DATE) || day.isAfter(DataBounds.NEWEST_GENERATED_DATE)) {
            errors.add(new Problem.FieldError(name, name + " must be a date from " + DataBounds.OLDEST_DATE + " to "
                    + DataBounds.NEWEST_GENERATED_DATE));
            return false;
        }
        return true;
    }

    /**
     * orders_per_day is a 2020 weekday's volume; growth, seasons and shopping events scale it (1.15 a
     * year by default). The busiest day of the range must stay within DataBounds.MAX_ORDERS_PER_DAY.
     */
    private static java.util.Optional<Problem.FieldError> busiestDay(int ordersPerDay, LocalDate from, LocalDate to) {
        Demand.Busiest busiest = new Demand(ShopProfile.defaults(), ordersPerDay).busiestDay(from, to);
        if (busiest.orders() <= DataBounds.MAX_ORDERS_PER_DAY) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Problem.FieldError("orders_per_day", String.format(java.util.Locale.ROOT,
                "with orders_per_day %d the shop's growth and seasons make %.0f orders on %s; at most %d orders a day "
                        + "are generated: lower orders_per_day or the range's dates", ordersPerDay, busiest.orders(),
                busiest.day(), DataBounds.MAX_ORDERS_PER_DAY)));
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
        } catch (DateTimeParseException | ArithmeticException e) {
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
            errors.add(new Problem.FieldError(name, name + " must be a " + (name.equals("defect_rate") ? "number" : "whole number")));
            return null;
        }
    }
}
