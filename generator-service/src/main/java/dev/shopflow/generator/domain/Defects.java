package dev.shopflow.generator.domain;

import dev.shopflow.common.wire.Entity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The defect catalogue. At {@code defect_rate} a row gets exactly one defect of a kind that fits
 * its entity, and every injection is counted by kind, so tests can check the pipeline against it:
 * the row-level kinds ({@link #ROW_LEVEL}) must end in quarantine, orphans in quality's
 * relationships checks, duplicates deduplicated by staging.
 */
public final class Defects {

    public static final String MISSING_REQUIRED_FIELD = "missing_required_field";
    public static final String BAD_EMAIL = "bad_email";
    public static final String OUT_OF_RANGE_QUANTITY = "out_of_range_quantity";
    public static final String UNKNOWN_ENUM_VALUE = "unknown_enum_value";
    public static final String FUTURE_TIMESTAMP = "future_timestamp";
    public static final String MALFORMED_LINE = "malformed_line";
    public static final String ORPHAN_REFERENCE = "orphan_reference";
    public static final String DUPLICATE_KEY_IN_BATCH = "duplicate_key_in_batch";

    /** The kinds ingestion must quarantine (one row each). */
    public static final List<String> ROW_LEVEL = List.of(MISSING_REQUIRED_FIELD, BAD_EMAIL, OUT_OF_RANGE_QUANTITY,
            UNKNOWN_ENUM_VALUE, FUTURE_TIMESTAMP, MALFORMED_LINE);

    /** Far enough ahead to be in the future whenever the data is loaded, and the same bytes every time. */
    static final String FUTURE = "2999-01-01T00:00:00Z";

    private static final Map<Entity, List<String>> KINDS = Map.of(
            Entity.CUSTOMERS, List.of(MISSING_REQUIRED_FIELD, BAD_EMAIL, FUTURE_TIMESTAMP, MALFORMED_LINE,
                    DUPLICATE_KEY_IN_BATCH),
            Entity.PRODUCTS, List.of(MISSING_REQUIRED_FIELD, FUTURE_TIMESTAMP, MALFORMED_LINE),
            Entity.ORDERS, List.of(MISSING_REQUIRED_FIELD, UNKNOWN_ENUM_VALUE, FUTURE_TIMESTAMP, MALFORMED_LINE,
                    ORPHAN_REFERENCE),
            Entity.ORDER_ITEMS, List.of(MISSING_REQUIRED_FIELD, OUT_OF_RANGE_QUANTITY, MALFORMED_LINE, ORPHAN_REFERENCE,
                    DUPLICATE_KEY_IN_BATCH),
            Entity.PAYMENTS, List.of(MISSING_REQUIRED_FIELD, UNKNOWN_ENUM_VALUE, MALFORMED_LINE, ORPHAN_REFERENCE));

    private Defects() {
    }

    /** Injects defects into one entity's rows of a day; returns the rows to send. */
    static List<Object> inject(Entity entity, List<Object> rows, double rate, SplittableRandom r,
            Map<String, Integer> counts) {
        if (rate <= 0) {
            return rows;
        }
        List<String> kinds = KINDS.get(entity);
        List<Object> out = new ArrayList<>(rows.size() + 8);
        for (Object row : rows) {
            if (r.nextDouble() >= rate) {
                out.add(row);
                continue;
            }
            String kind = kinds.get(r.nextInt(kinds.size()));
            counts.merge(kind, 1, Integer::sum);
            switch (kind) {
                case MALFORMED_LINE -> {
                    String json = RecordJson.line(row);
                    out.add(new RecordJson.Malformed(json.substring(0, json.length() / 2)));
                }
                case DUPLICATE_KEY_IN_BATCH -> {
                    out.add(row);
                    out.add(row);
                }
                default -> out.add(broken(entity, kind, row, r));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> broken(Entity entity, String kind, Object row, SplittableRandom r) {
        Map<String, Object> m = RecordJson.MAPPER.convertValue(row, LinkedHashMap.class);
        switch (kind) {
            case MISSING_REQUIRED_FIELD -> m.remove(switch (entity) {
                case CUSTOMERS -> "email";
                case PRODUCTS -> "name";
                case ORDERS -> "order_ts";
                case ORDER_ITEMS -> "product_id";
                case PAYMENTS -> "amount";
            });
            case BAD_EMAIL -> m.put("email", "no-at-sign." + m.get("customer_id"));
            case OUT_OF_RANGE_QUANTITY -> m.put("quantity", r.nextBoolean() ? 0 : 10_001);
            case UNKNOWN_ENUM_VALUE -> {
                if (entity == Entity.ORDERS) {
                    m.put("channel", "fax");
                } else {
                    m.put("method", "cash");
                }
            }
            case FUTURE_TIMESTAMP -> m.put(entity == Entity.ORDERS ? "order_ts" : "updated_at", FUTURE);
            case ORPHAN_REFERENCE -> {
                switch (entity) {
                    case ORDERS -> m.put("customer_id", "C-ORPHAN-" + m.get("order_id"));
                    case ORDER_ITEMS -> m.put("product_id", "P-ORPHAN-" + m.get("order_id"));
                    default -> m.put("order_id", "O-ORPHAN-" + m.get("payment_id"));
                }
            }
            default -> throw new IllegalStateException(kind);
        }
        return m;
    }
}
