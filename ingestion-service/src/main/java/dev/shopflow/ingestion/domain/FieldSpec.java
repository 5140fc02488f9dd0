package dev.shopflow.ingestion.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * One field of an entity's record: its type, whether it is required and its bounds.
 * {@code min}/{@code max} bound MONEY and INTEGER values; {@code minExclusive} makes the lower bound strict.
 * A bound the contract states is broken with rule {@code range}; a bound the project adds so that the
 * value and every sum of it fit the warehouse ({@link #atMost}) with rule {@code out_of_range}.
 * {@code maxLength} bounds text, in UTF-16 units (so at most 4 bytes per unit in UTF-8).
 */
public record FieldSpec(String name, FieldType type, boolean required, BigDecimal min, boolean minExclusive,
        BigDecimal max, String maxRule, int maxLength, List<String> acceptedValues, String defaultValue) {

    /** Text longer than this is refused unless a field sets its own limit. */
    public static final int DEFAULT_MAX_TEXT = 1000;

    public static FieldSpec key(String name) {
        return new FieldSpec(name, FieldType.KEY, true, null, false, null, null, 64, List.of(), null);
    }

    public static FieldSpec required(String name, FieldType type) {
        return new FieldSpec(name, type, true, null, false, null, null, DEFAULT_MAX_TEXT, List.of(), null);
    }

    public static FieldSpec optional(String name, FieldType type) {
        return new FieldSpec(name, type, false, null, false, null, null, DEFAULT_MAX_TEXT, List.of(), null);
    }

    public static FieldSpec oneOf(String name, String... values) {
        return new FieldSpec(name, FieldType.ENUM, true, null, false, null, null, DEFAULT_MAX_TEXT, List.of(values),
                null);
    }

    /** A bound the contract states (rule {@code range} on both sides). */
    public FieldSpec between(long min, long max) {
        return new FieldSpec(name, type, required, BigDecimal.valueOf(min), false, BigDecimal.valueOf(max),
                Reason.RANGE, maxLength, acceptedValues, defaultValue);
    }

    public FieldSpec atLeast(long min) {
        return new FieldSpec(name, type, required, BigDecimal.valueOf(min), false, max, maxRule, maxLength,
                acceptedValues, defaultValue);
    }

    public FieldSpec greaterThan(long min) {
        return new FieldSpec(name, type, required, BigDecimal.valueOf(min), true, max, maxRule, maxLength,
                acceptedValues, defaultValue);
    }

    /** An upper bound the project sets where the contract gives none (rule {@code out_of_range}). */
    public FieldSpec atMost(long max) {
        return new FieldSpec(name, type, required, min, minExclusive, BigDecimal.valueOf(max), Reason.OUT_OF_RANGE,
                maxLength, acceptedValues, defaultValue);
    }

    /** A shorter text limit, for text that the warehouse groups by and indexes (category, state, ...). */
    public FieldSpec maxLength(int length) {
        return new FieldSpec(name, type, required, min, minExclusive, max, maxRule, length, acceptedValues,
                defaultValue);
    }

    public FieldSpec defaultingTo(String value) {
        return new FieldSpec(name, type, required, min, minExclusive, max, maxRule, maxLength, acceptedValues, value);
    }
}
