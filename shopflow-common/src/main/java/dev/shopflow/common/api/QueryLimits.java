package dev.shopflow.common.api;

/**
 * The page size every list endpoint takes: {@code limit}, 1 to 1000. Declared as a String with
 * {@code @Pattern(regexp = DIGITS) @Min(1) @Max(MAX)} so that "abc" is a 400 naming the parameter
 * (Quarkus REST answers 404 when it cannot convert an int parameter).
 */
public final class QueryLimits {

    public static final String DIGITS = "\\d{1,9}";
    public static final int MAX = 1000;
    public static final String MESSAGE = "must be a whole number between 1 and 1000";

    private QueryLimits() {
    }
}
