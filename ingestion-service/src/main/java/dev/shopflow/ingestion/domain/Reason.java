package dev.shopflow.ingestion.domain;

/** Why a row was quarantined: the field, the rule it broke, and the offending value (null when absent). */
public record Reason(String field, String rule, String value) {

    /** The value as PostgreSQL can store it in jsonb (no U+0000, no lone surrogates). */
    public Reason {
        value = StorableText.clean(value);
    }

    public static final String REQUIRED = "required";
    public static final String TYPE = "type";
    public static final String KEY_FORMAT = "key_format";
    public static final String EMAIL = "email";
    public static final String COUNTRY_CODE = "country_code";
    public static final String TIMESTAMP_FORMAT = "timestamp_format";
    public static final String FUTURE_TIMESTAMP = "future_timestamp";
    public static final String RANGE = "range";
    /** Beyond a bound the project sets so values and their sums fit the warehouse (docs/ingestion.md). */
    public static final String OUT_OF_RANGE = "out_of_range";
    /** Text containing U+0000, which PostgreSQL text cannot hold. */
    public static final String NUL_CHARACTER = "nul_character";
    /** Text with a lone UTF-16 surrogate (a JSON escape such as \\ud800 without its pair): not Unicode text. */
    public static final String INVALID_UNICODE = "invalid_unicode";
    /**
     * Valid by every rule above, yet PostgreSQL refused the value: set by the load's safety net, not
     * the validator (it should never be seen; the validator's bounds are meant to leave nothing for it).
     */
    public static final String UNSTORABLE = "unstorable";
    public static final String SCALE = "scale";
    public static final String ACCEPTED_VALUES = "accepted_values";
    public static final String DISCOUNT_EXCEEDS_LINE = "discount_exceeds_line";
    public static final String MALFORMED = "malformed";
    /**
     * A timestamp with more than 6 fractional digits: PostgreSQL keeps microseconds and would round,
     * possibly across a day or before an older version (docs/ingestion.md).
     */
    public static final String TIMESTAMP_PRECISION = "timestamp_precision";
}
