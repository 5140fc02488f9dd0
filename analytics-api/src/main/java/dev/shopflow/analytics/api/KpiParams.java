package dev.shopflow.analytics.api;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What Bean Validation cannot say about KPI parameters (a real calendar date, from not after to),
 * collected into one 400 that names each parameter.
 */
final class KpiParams {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(name, name + " is required (YYYY-MM-DD)"));
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(name, name + " must be a date YYYY-MM-DD"));
            return null;
        }
    }

    String oneOf(String name, String value, String defaultValue, Set<String> allowed) {
        String v = value == null ? defaultValue : value;
        if (!allowed.contains(v)) {
            errors.add(new Problem.FieldError(name, name + " must be one of " + String.join(", ", allowed.stream().sorted().toList())));
            return null;
        }
        return v;
    }

    /** A month given as YYYY-MM or as any day of it: its first day. */
    LocalDate month(String name, String value) {
        if (value != null && value.strip().length() == 7) {
            return date(name, value.strip() + "-01");
        }
        LocalDate day = date(name, value);
        return day == null ? null : day.withDayOfMonth(1);
    }

    /** Notes a from after to; returns to. */
    LocalDate range(LocalDate from, LocalDate to) {
        if (from != null && to != null && from.isAfter(to)) {
            errors.add(new Problem.FieldError("from", "from must not be after to"));
        }
        return to;
    }

    /** An inclusive date range, validated. */
    record Range(LocalDate from, LocalDate to) {
    }

    /** from and to as dates, from not after to; else a 400 naming each bad parameter. */
    static Range range(String from, String to) {
        KpiParams p = new KpiParams();
        LocalDate f = p.date("from", from);
        LocalDate t = p.range(f, p.date("to", to));
        p.check();
        return new Range(f, t);
    }

    /** from and to as months (their first days), from not after to. */
    static Range monthRange(String from, String to) {
        KpiParams p = new KpiParams();
        LocalDate f = p.month("from", from);
        LocalDate t = p.range(f, p.month("to", to));
        p.check();
        return new Range(f, t);
    }

    void check() {
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.validation(errors));
        }
    }
}
