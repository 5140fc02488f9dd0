package dev.shopflow.ingestion.domain;

import dev.shopflow.common.wire.DataBounds;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one row against its entity's schema in a single pass, collecting every reason rather than
 * stopping at the first. Valid values come out canonical (timestamps in UTC ISO-8601, money as
 * plain decimals) so staging receives them ready to cast.
 */
public final class RowValidator {

    // Pragmatic address shape: local@domain.tld, no spaces or control characters; full RFC 5322 is not what shops mean by valid.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    /** Timestamps from DataBounds.OLDEST_TIMESTAMP (rule out_of_range) to ingestion time + 1 day (rule future_timestamp). */
    public static final Instant OLDEST_TIMESTAMP = DataBounds.OLDEST_TIMESTAMP;
    private static final Duration FUTURE_TOLERANCE = DataBounds.FUTURE_TOLERANCE;
    private static final int MAX_EMAIL = 320;

    private final RecordSchema schema;
    private final List<FieldSpec> fields;
    // order_items' discount rule needs these three; -1 elsewhere
    private final int discount;
    private final int quantity;
    private final int unitPrice;

    public RowValidator(RecordSchema schema) {
        this.schema = schema;
        this.fields = schema.fields();
        List<String> columns = schema.columnNames();
        this.discount = columns.indexOf("discount");
        this.quantity = columns.indexOf("quantity");
        this.unitPrice = columns.indexOf("unit_price");
    }

    /** @param now ingestion time; timestamps later than now + 1 day are invalid */
    public ValidatedRow validate(Map<String, RawValue> row, Instant now) {
        String[] values = new String[fields.size()];
        List<Reason> reasons = new ArrayList<>(0);
        for (int i = 0; i < fields.size(); i++) {
            FieldSpec spec = fields.get(i);
            RawValue raw = row.get(spec.name());
            if (raw == null || raw.text() == null || (!raw.number() && raw.text().isEmpty() && !raw.structured())) {
                if (spec.required()) {
                    reasons.add(new Reason(spec.name(), Reason.REQUIRED, null));
                } else {
                    values[i] = spec.defaultValue();
                }
                continue;
            }
            values[i] = check(spec, raw, now, reasons);
        }
        checkDiscount(values, reasons);
        return new ValidatedRow(values, List.copyOf(reasons));
    }

    private String check(FieldSpec spec, RawValue raw, Instant now, List<Reason> reasons) {
        String text = raw.text();
        if (raw.structured()) {
            reasons.add(new Reason(spec.name(), Reason.TYPE, text));
            return null;
        }
        return switch (spec.type()) {
            case KEY -> expectText(spec, raw, reasons) && isKey(text, spec, reasons) ? text : null;
            case TEXT -> expectText(spec, raw, reasons) && withinLength(spec, text, reasons) && storable(spec, text, reasons)
                    ? text : null;
            case EMAIL -> expectText(spec, raw, reasons) && storable(spec, text, reasons)
                    && matches(EMAIL, text, spec, Reason.EMAIL, reasons) ? text : null;
            case COUNTRY -> {
                if (!expectText(spec, raw, reasons)) {
                    yield null;
                }
                if (!COUNTRIES.contains(text)) {
                    reasons.add(new Reason(spec.name(), Reason.COUNTRY_CODE, text));
                    yield null;
                }
                yield text;
            }
            case ENUM -> {
                if (!expectText(spec, raw, reasons)) {
                    yield null;
                }
                if (!spec.acceptedValues().contains(text)) {
                    reasons.add(new Reason(spec.name(), Reason.ACCEPTED_VALUES, text));
                    yield null;
                }
                yield text;
            }
            case TIMESTAMP -> timestamp(spec, raw, now, reasons);
            case MONEY -> number(spec, raw, reasons, 2);
            case INTEGER -> number(spec, raw, reasons, 0);
        };
    }

    private static boolean expectText(FieldSpec spec, RawValue raw, List<Reason> reasons) {
        if (raw.number()) {
            reasons.add(new Reason(spec.name(), Reason.TYPE, raw.text()));
            return false;
        }
        return true;
    }

    /** [A-Za-z0-9_.-]{1,64}, checked by hand: the regex was the hottest spot of a bulk load. */
    private static boolean isKey(String text, FieldSpec spec, List<Reason> reasons) {
        int n = text.length();
        boolean ok = n >= 1 && n <= 64;
        for (int i = 0; ok && i < n; i++) {
            char c = text.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        }
        if (!ok) {
            reasons.add(new Reason(spec.name(), Reason.KEY_FORMAT, text));
        }
        return ok;
    }

    private static boolean withinLength(FieldSpec spec, String text, List<Reason> reasons) {
        if (text.length() > spec.maxLength()) {
            reasons.add(new Reason(spec.name(), Reason.RANGE, text.substring(0, 64) + "..."));
            return false;
        }
        return true;
    }

    /** Text PostgreSQL can hold: no U+0000, no lone surrogate (either would fail or corrupt the load). */
    private static boolean storable(FieldSpec spec, String text, List<Reason> reasons) {
        int at = StorableText.firstUnstorable(text);
        if (at < 0) {
            return true;
        }
        String rule = text.charAt(at) == 0 ? Reason.NUL_CHARACTER : Reason.INVALID_UNICODE;
        reasons.add(new Reason(spec.name(), rule, text.length() > 64 ? text.substring(0, 64) + "..." : text));
        return false;
    }

    private static boolean matches(Pattern p, String text, FieldSpec spec, String rule, List<Reason> reasons) {
        if (text.length() > MAX_EMAIL || !p.matcher(text).matches()) {
            reasons.add(new Reason(spec.name(), rule, text));
            return false;
        }
        return true;
    }

    private static String timestamp(FieldSpec spec, RawValue raw, Instant now, List<Reason> reasons) {
        if (!expectText(spec, raw, reasons)) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(raw.text(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            reasons.add(new Reason(spec.name(), Reason.TIMESTAMP_FORMAT, raw.text()));
            return null;
        }
        if (fractionDigits(raw.text()) > 6) {
            reasons.add(new Reason(spec.name(), Reason.TIMESTAMP_PRECISION, raw.text()));
            return null;
        }
        if (instant.isAfter(now.plus(FUTURE_TOLERANCE))) {
            reasons.add(new Reason(spec.name(), Reason.FUTURE_TIMESTAMP, raw.text()));
            return null;
        }
        if (instant.isBefore(OLDEST_TIMESTAMP)) {
            reasons.add(new Reason(spec.name(), Reason.OUT_OF_RANGE, raw.text()));
            return null;
        }
        return instant.toString();
    }

    /** Digits after the seconds' decimal point of an ISO-8601 timestamp (0 without one). */
    private static int fractionDigits(String text) {
        int t = text.indexOf('T');
        int dot = t < 0 ? -1 : text.indexOf('.', t);
        if (dot < 0) {
            return 0;
        }
        int n = 0;
        while (dot + 1 + n < text.length() && Character.isDigit(text.charAt(dot + 1 + n))) {
            n++;
        }
        return n;
    }

    /** ASCII digits, sign, point and exponent only: Java's parsers would also read other scripts' digits (１２). */
    private static boolean asciiNumber(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    /** Accepts JSON numbers, and numeric text only where the format has no types (CSV). */
    private static String number(FieldSpec spec, RawValue raw, List<Reason> reasons, int maxScale) {
        if (raw.typed() && !raw.number()) {
            reasons.add(new Reason(spec.name(), Reason.TYPE, raw.text()));
            return null;
        }
        String fast = PlainDecimal.canonical(raw.text(), maxScale, spec.min(), spec.minExclusive(), spec.max());
        if (fast != null) {
            if (fast == PlainDecimal.BELOW_MIN || fast == PlainDecimal.ABOVE_MAX) {
                reasons.add(new Reason(spec.name(), fast == PlainDecimal.ABOVE_MAX ? spec.maxRule() : Reason.RANGE,
                        raw.text()));
                return null;
            }
            if (fast == PlainDecimal.TOO_PRECISE) {
                reasons.add(new Reason(spec.name(), maxScale == 0 ? Reason.TYPE : Reason.SCALE, raw.text()));
                return null;
            }
            return fast;
        }
        BigDecimal value;
        try {
            if (raw.text().length() > 40 || !asciiNumber(raw.text())) {
                throw new NumberFormatException("too long");
            }
            value = new BigDecimal(raw.text());
        } catch (NumberFormatException e) {
            reasons.add(new Reason(spec.name(), Reason.TYPE, raw.text()));
            return null;
        }
        BigDecimal normalized = value.stripTrailingZeros();
        if (normalized.scale() > maxScale) {
            reasons.add(new Reason(spec.name(), maxScale == 0 ? Reason.TYPE : Reason.SCALE, raw.text()));
            return null;
        }
        boolean belowMin = spec.min() != null
                && (spec.minExclusive() ? value.compareTo(spec.min()) <= 0 : value.compareTo(spec.min()) < 0);
        boolean aboveMax = spec.max() != null && value.compareTo(spec.max()) > 0;
        if (belowMin || aboveMax) {
            reasons.add(new Reason(spec.name(), belowMin ? Reason.RANGE : spec.maxRule(), raw.text()));
            return null;
        }
        return normalized.scale() < 0 ? normalized.setScale(0).toPlainString() : normalized.toPlainString();
    }

    /** order_items: discount must not exceed quantity x unit_price (checked only when all three are valid). */
    private void checkDiscount(String[] values, List<Reason> reasons) {
        if (discount < 0 || quantity < 0 || values[discount] == null || values[quantity] == null
                || values[unitPrice] == null) {
            return;
        }
        if (values[discount].equals("0")) {
            return;
        }
        BigDecimal line = new BigDecimal(values[quantity]).multiply(new BigDecimal(values[unitPrice]));
        if (new BigDecimal(values[discount]).compareTo(line) > 0) {
            reasons.add(new Reason("discount", Reason.DISCOUNT_EXCEEDS_LINE, values[discount]));
        }
    }
}
