package dev.shopflow.ingestion.domain;

/**
 * A field value as it arrived, before typing. {@code typed} is true when the format carries types
 * (NDJSON): then {@code number} says whether it was a JSON number, and numbers must be numbers.
 * CSV values are untyped text. A JSON object, array or boolean is {@code structured}.
 */
public record RawValue(String text, boolean typed, boolean number, boolean structured) {

    public static RawValue untyped(String text) {
        return new RawValue(text, false, false, false);
    }
}
