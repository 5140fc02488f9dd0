package dev.shopflow.analytics.service;

import dev.shopflow.analytics.persistence.PublishedVersion;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape and rounding of KPI answers (CONTRACT.md section 3), shared by the answers computed in
 * SQL ({@link SqlKpis}) and from a prepared version ({@link PreparedKpis}), so both give the same bytes.
 */
final class Answers {

    static final String[] DAY_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

    private Answers() {
    }

    static Map<String, Object> envelope(PublishedVersion v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("as_of", v.asOf());
        body.put("version", v.version());
        return body;
    }

    static Map<String, Object> envelope(PublishedVersion v, LocalDate from, LocalDate to) {
        Map<String, Object> body = envelope(v);
        body.put("from", from);
        body.put("to", to);
        return body;
    }

    static Map<String, Object> list(Map<String, Object> body, List<Map<String, Object>> items) {
        body.put("items", items);
        return body;
    }

    /** limit, offset and total of a ranked answer's page. */
    static void page(Map<String, Object> body, int limit, int offset, long total) {
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("total", total);
    }

    static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    static BigDecimal money(BigDecimal value) {
        return (value == null ? BigDecimal.ZERO : value).setScale(2, RoundingMode.HALF_UP);
    }

    /** An amount held as hundredths (prepared versions keep money as exact cents). */
    static BigDecimal cents(long hundredths) {
        return BigDecimal.valueOf(hundredths, 2);
    }

    /** value / count, or null when count is 0 (an aov of no orders is undefined, not 0). */
    static BigDecimal ratio(BigDecimal value, long count, int scale) {
        return count == 0 ? null : value.divide(BigDecimal.valueOf(count), scale, RoundingMode.HALF_UP);
    }

    static BigDecimal share(BigDecimal part, BigDecimal total) {
        return total.signum() == 0 ? null : part.divide(total, 4, RoundingMode.HALF_UP);
    }
}
