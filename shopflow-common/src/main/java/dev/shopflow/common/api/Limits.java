package dev.shopflow.common.api;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import java.util.List;

/** Parses a {@code limit} query parameter: an integer in 1..1000. */
public final class Limits {

    private Limits() {
    }

    public static int parse(String value, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProblemException(Problem.validation(
                List.of(new Problem.FieldError("limit", "limit must be an integer between 1 and 1000"))));
    }
}
