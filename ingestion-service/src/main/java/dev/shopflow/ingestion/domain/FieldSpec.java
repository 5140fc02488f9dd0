package dev.shopflow.ingestion.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * One field of an entity's record: its type, whether it is required and its bounds.
 * {@code min}/{@code max} bound MONEY and INTEGER values; {@code minExclusive} makes the lower bound strict.
 */
public record FieldSpec(String name, FieldType type, boolean required, BigDecimal min, boolean minExclusive,
        BigDecimal max, List<String> acceptedValues, String defaultValue) {

    public static FieldSpec key(String name) {
        return new FieldSpec(name, FieldType.KEY, true, null, false, null, List.of(), null);
    }

    public static FieldSpec required(String name, FieldType type) {
        return new FieldSpec(name, type, true, null, false, null, List.of(), null);
    }

    public static FieldSpec optional(String name, FieldType type) {
        return new FieldSpec(name, type, false, null, false, null, List.of(), null);
    }

    public static FieldSpec oneOf(String name, String... values) {
        return new FieldSpec(name, FieldType.ENUM, true, null, false, null, List.of(values), null);
    }

    public FieldSpec between(long min, long max) {
        return new FieldSpec(name, type, required, BigDecimal.valueOf(min), false, BigDecimal.valueOf(max),
                acceptedValues, defaultValue);
    }

    public FieldSpec atLeast(long min) {
        return new FieldSpec(name, type, required, BigDecimal.valueOf(min), false, null, acceptedValues, defaultValue);
    }

    public FieldSpec greaterThan(long min) {
        return new FieldSpec(name, type, required, BigDecimal.valueOf(min), true, null, acceptedValues, defaultValue);
    }

    public FieldSpec defaultingTo(String value) {
        return new FieldSpec(name, type, required, min, minExclusive, max, acceptedValues, value);
    }
}
