package dev.shopflow.ingestion.domain;

import static dev.shopflow.ingestion.domain.FieldSpec.key;
import static dev.shopflow.ingestion.domain.FieldSpec.oneOf;
import static dev.shopflow.ingestion.domain.FieldSpec.optional;
import static dev.shopflow.ingestion.domain.FieldSpec.required;
import static dev.shopflow.ingestion.domain.FieldType.COUNTRY;
import static dev.shopflow.ingestion.domain.FieldType.EMAIL;
import static dev.shopflow.ingestion.domain.FieldType.INTEGER;
import static dev.shopflow.ingestion.domain.FieldType.MONEY;
import static dev.shopflow.ingestion.domain.FieldType.TEXT;
import static dev.shopflow.ingestion.domain.FieldType.TIMESTAMP;

import dev.shopflow.common.wire.Entity;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The record schema of each entity, in one place (docs/contract.md section 1). Validation, the staging
 * table's columns and the upsert are all derived from these declarations.
 *
 * @param keyColumns the natural key
 * @param versionColumn the column whose newest value wins, or null when the latest batch wins
 * @param keepsVersions whether every version is also kept (in {@link #versionTable()}), for the
 *     warehouse's slowly changing dimensions: staging itself holds only the newest
 */
public record RecordSchema(Entity entity, List<String> keyColumns, String versionColumn, boolean keepsVersions,
        List<FieldSpec> fields) {

    /*
     * The project's bounds where the contract gives none (docs/ingestion.md, "Bounds"). Derived from
     * the columns that hold the values and their sums: staging and fact money is numeric(14,2)
     * (below 10^12), a fact line's revenue numeric(16,2) (below 10^14), mart sums are numeric without
     * a precision. A line is worth at most MAX_QUANTITY x MAX_UNIT_PRICE = 10^10, so it and any
     * discount fit every column; a payment may be as large as the largest line.
     */
    public static final long MAX_UNIT_PRICE = 1_000_000;
    public static final long MAX_QUANTITY = 10_000;
    public static final long MAX_LINE_VALUE = MAX_UNIT_PRICE * MAX_QUANTITY;
    public static final long MAX_PAYMENT = MAX_LINE_VALUE;
    /** Text the warehouse groups by and keeps in primary keys (btree entries stay far below 2,704 bytes). */
    public static final int MAX_GROUPING_TEXT = 200;

    private static final Map<Entity, RecordSchema> SCHEMAS = new EnumMap<>(Entity.class);

    static {
        register(new RecordSchema(Entity.CUSTOMERS, List.of("customer_id"), "updated_at", true, List.of(
                key("customer_id"),
                required("email", EMAIL),
                required("first_name", TEXT),
                required("last_name", TEXT),
                optional("city", TEXT).maxLength(MAX_GROUPING_TEXT),
                optional("state", TEXT).maxLength(MAX_GROUPING_TEXT),
                required("country", COUNTRY),
                required("signup_at", TIMESTAMP),
                required("updated_at", TIMESTAMP))));
        register(new RecordSchema(Entity.PRODUCTS, List.of("product_id"), "updated_at", true, List.of(
                key("product_id"),
                required("name", TEXT),
                required("category", TEXT).maxLength(MAX_GROUPING_TEXT),
                required("unit_price", MONEY).between(0, MAX_UNIT_PRICE),
                optional("unit_cost", MONEY).atLeast(0).atMost(MAX_UNIT_PRICE),
                required("updated_at", TIMESTAMP))));
        register(new RecordSchema(Entity.ORDERS, List.of("order_id"), "updated_at", false, List.of(
                key("order_id"),
                key("customer_id"),
                required("order_ts", TIMESTAMP),
                oneOf("status", "placed", "paid", "shipped", "delivered", "cancelled", "returned"),
                oneOf("channel", "web", "mobile", "marketplace"),
                required("updated_at", TIMESTAMP))));
        register(new RecordSchema(Entity.ORDER_ITEMS, List.of("order_id", "line_number"), null, false, List.of(
                key("order_id"),
                required("line_number", INTEGER).between(1, 1000),
                key("product_id"),
                required("quantity", INTEGER).between(1, MAX_QUANTITY),
                required("unit_price", MONEY).atLeast(0).atMost(MAX_UNIT_PRICE),
                optional("discount", MONEY).atLeast(0).atMost(MAX_LINE_VALUE).defaultingTo("0"))));
        register(new RecordSchema(Entity.PAYMENTS, List.of("payment_id"), null, false, List.of(
                key("payment_id"),
                key("order_id"),
                oneOf("method", "credit_card", "debit_card", "paypal", "gift_card", "bank_transfer"),
                required("amount", MONEY).greaterThan(0).atMost(MAX_PAYMENT),
                oneOf("status", "captured", "refunded", "failed"),
                required("paid_at", TIMESTAMP))));
    }

    private static void register(RecordSchema schema) {
        SCHEMAS.put(schema.entity(), schema);
    }

    public static RecordSchema of(Entity entity) {
        return SCHEMAS.get(entity);
    }

    public String stagingTable() {
        return "staging." + entity.wireName();
    }

    /** staging.customer_versions, staging.product_versions: every version ever accepted, by (key, updated_at). */
    public String versionTable() {
        return keepsVersions ? "staging." + entity.wireName().replaceAll("s$", "") + "_versions" : null;
    }

    public List<String> columnNames() {
        return fields.stream().map(FieldSpec::name).toList();
    }

    public Set<String> fieldNames() {
        return fields.stream().map(FieldSpec::name).collect(Collectors.toUnmodifiableSet());
    }

    public List<String> requiredFieldNames() {
        return fields.stream().filter(FieldSpec::required).map(FieldSpec::name).toList();
    }
}
