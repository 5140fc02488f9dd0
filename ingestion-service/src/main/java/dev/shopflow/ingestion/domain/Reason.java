package dev.shopflow.ingestion.domain;

/** Why a row was quarantined: the field, the rule it broke, and the offending value (null when absent). */
public record Reason(String field, String rule, String value) {

    public static final String REQUIRED = "required";
    public static final String TYPE = "type";
    public static final String KEY_FORMAT = "key_format";
    public static final String EMAIL = "email";
    public static final String COUNTRY_CODE = "country_code";
    public static final String TIMESTAMP_FORMAT = "timestamp_format";
    public static final String FUTURE_TIMESTAMP = "future_timestamp";
    public static final String RANGE = "range";
    public static final String SCALE = "scale";
    public static final String ACCEPTED_VALUES = "accepted_values";
    public static final String DISCOUNT_EXCEEDS_LINE = "discount_exceeds_line";
    public static final String MALFORMED = "malformed";
}
