package dev.shopflow.ingestion.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.shopflow.common.wire.Entity;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of docs/contract.md section 1, entity by entity: one valid row, then one field broken at a time. */
class RowValidatorTests {

    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    static final Map<Entity, Map<String, String>> VALID = Map.of(
            Entity.CUSTOMERS, Map.of("customer_id", "c-1", "email", "ada@example.com", "first_name", "Ada",
                    "last_name", "Lovelace", "city", "London", "state", "LDN", "country", "GB",
                    "signup_at", "2025-01-01T10:00:00Z", "updated_at", "2025-01-02T00:00:00+02:00"),
            Entity.PRODUCTS, Map.of("product_id", "p-1", "name", "Kettle", "category", "kitchen",
                    "unit_price", "39.90", "unit_cost", "21.5", "updated_at", "2025-01-02T00:00:00Z"),
            Entity.ORDERS, Map.of("order_id", "o-1", "customer_id", "c-1", "order_ts", "2025-03-01T23:30:00-05:00",
                    "status", "paid", "channel", "web", "updated_at", "2025-03-02T00:00:00Z"),
            Entity.ORDER_ITEMS, Map.of("order_id", "o-1", "line_number", "1", "product_id", "p-1",
                    "quantity", "3", "unit_price", "10.00", "discount", "5"),
            Entity.PAYMENTS, Map.of("payment_id", "pay-1", "order_id", "o-1", "method", "paypal",
                    "amount", "25.00", "status", "captured", "paid_at", "2025-03-01T12:00:00Z"));

    static ValidatedRow validate(Entity entity, Map<String, String> overrides) {
        Map<String, RawValue> row = new HashMap<>();
        VALID.get(entity).forEach((k, v) -> row.put(k, RawValue.untyped(v)));
        overrides.forEach((k, v) -> {
            if (v == null) {
                row.remove(k);
            } else {
                row.put(k, RawValue.untyped(v));
            }
        });
        return new RowValidator(RecordSchema.of(entity)).validate(row, NOW);
    }

    static Stream<Arguments> brokenFields() {
        return Stream.of(
                // customers
                Arguments.of(Entity.CUSTOMERS, "customer_id", null, "required"),
                Arguments.of(Entity.CUSTOMERS, "customer_id", "has space", "key_format"),
                Arguments.of(Entity.CUSTOMERS, "customer_id", "x".repeat(65), "key_format"),
                Arguments.of(Entity.CUSTOMERS, "customer_id", "c/1", "key_format"),
                Arguments.of(Entity.CUSTOMERS, "email", "not-an-email", "email"),
                Arguments.of(Entity.CUSTOMERS, "email", "a@b", "email"),
                Arguments.of(Entity.CUSTOMERS, "email", "a b@example.com", "email"),
                Arguments.of(Entity.CUSTOMERS, "email", null, "required"),
                Arguments.of(Entity.CUSTOMERS, "first_name", null, "required"),
                Arguments.of(Entity.CUSTOMERS, "first_name", "", "required"),
                Arguments.of(Entity.CUSTOMERS, "last_name", null, "required"),
                Arguments.of(Entity.CUSTOMERS, "country", "XX", "country_code"),
                Arguments.of(Entity.CUSTOMERS, "country", "gb", "country_code"),
                Arguments.of(Entity.CUSTOMERS, "country", "GBR", "country_code"),
                Arguments.of(Entity.CUSTOMERS, "country", null, "required"),
                Arguments.of(Entity.CUSTOMERS, "signup_at", "2025-13-01T00:00:00Z", "timestamp_format"),
                Arguments.of(Entity.CUSTOMERS, "signup_at", "2025-01-01T00:00:00", "timestamp_format"),
                Arguments.of(Entity.CUSTOMERS, "signup_at", "2025-01-01", "timestamp_format"),
                Arguments.of(Entity.CUSTOMERS, "updated_at", "2025-06-02T00:00:01Z", "future_timestamp"),
                Arguments.of(Entity.CUSTOMERS, "updated_at", null, "required"),
                // what PostgreSQL cannot hold, and the project's bounds (docs/ingestion.md)
                Arguments.of(Entity.CUSTOMERS, "first_name", "A\u0000B", "nul_character"),
                Arguments.of(Entity.CUSTOMERS, "last_name", "\u0000", "nul_character"),
                Arguments.of(Entity.CUSTOMERS, "city", "Ber\ud800lin", "invalid_unicode"),
                Arguments.of(Entity.CUSTOMERS, "state", "\udc00", "invalid_unicode"),
                Arguments.of(Entity.CUSTOMERS, "email", "a\u0000@example.com", "nul_character"),
                Arguments.of(Entity.CUSTOMERS, "signup_at", "0000-01-01T00:00:00Z", "out_of_range"),
                Arguments.of(Entity.CUSTOMERS, "signup_at", "-0500-01-01T00:00:00Z", "out_of_range"),
                Arguments.of(Entity.CUSTOMERS, "updated_at", "1899-12-31T23:59:59Z", "out_of_range"),
                Arguments.of(Entity.CUSTOMERS, "updated_at", "+10000-01-01T00:00:00Z", "future_timestamp"),
                Arguments.of(Entity.PRODUCTS, "unit_cost", "1000000.01", "out_of_range"),
                Arguments.of(Entity.PRODUCTS, "unit_cost", "1e308", "out_of_range"),
                Arguments.of(Entity.ORDER_ITEMS, "unit_price", "1000000.01", "out_of_range"),
                Arguments.of(Entity.ORDER_ITEMS, "unit_price", "1e15", "out_of_range"),
                Arguments.of(Entity.ORDER_ITEMS, "unit_price", "999999999999.99", "out_of_range"),
                Arguments.of(Entity.ORDER_ITEMS, "discount", "10000000000.01", "out_of_range"),
                Arguments.of(Entity.PAYMENTS, "amount", "1e15", "out_of_range"),
                Arguments.of(Entity.PAYMENTS, "amount", "1e308", "out_of_range"),
                Arguments.of(Entity.PAYMENTS, "amount", "123456789012345678901234567890", "out_of_range"),
                Arguments.of(Entity.PAYMENTS, "amount", "10000000000.01", "out_of_range"),
                // products
                Arguments.of(Entity.PRODUCTS, "name", null, "required"),
                Arguments.of(Entity.PRODUCTS, "category", null, "required"),
                Arguments.of(Entity.PRODUCTS, "category", "\u0000", "nul_character"),
                Arguments.of(Entity.PRODUCTS, "name", "x\ud83d", "invalid_unicode"),
                Arguments.of(Entity.PRODUCTS, "unit_price", "-0.01", "range"),
                Arguments.of(Entity.PRODUCTS, "unit_price", "1000000.01", "range"),
                Arguments.of(Entity.PRODUCTS, "unit_price", "1.234", "scale"),
                Arguments.of(Entity.PRODUCTS, "unit_price", "abc", "type"),
                Arguments.of(Entity.PRODUCTS, "unit_price", null, "required"),
                Arguments.of(Entity.PRODUCTS, "unit_cost", "-1", "range"),
                Arguments.of(Entity.PRODUCTS, "updated_at", "yesterday", "timestamp_format"),
                // orders
                Arguments.of(Entity.ORDERS, "customer_id", null, "required"),
                Arguments.of(Entity.ORDERS, "customer_id", "c 1", "key_format"),
                Arguments.of(Entity.ORDERS, "order_ts", "2030-01-01T00:00:00Z", "future_timestamp"),
                Arguments.of(Entity.ORDERS, "status", "lost", "accepted_values"),
                Arguments.of(Entity.ORDERS, "status", "PAID", "accepted_values"),
                Arguments.of(Entity.ORDERS, "channel", "fax", "accepted_values"),
                Arguments.of(Entity.ORDERS, "channel", null, "required"),
                // order_items
                Arguments.of(Entity.ORDER_ITEMS, "line_number", "0", "range"),
                Arguments.of(Entity.ORDER_ITEMS, "line_number", "1001", "range"),
                Arguments.of(Entity.ORDER_ITEMS, "line_number", "1.5", "type"),
                Arguments.of(Entity.ORDER_ITEMS, "product_id", null, "required"),
                Arguments.of(Entity.ORDER_ITEMS, "quantity", "0", "range"),
                Arguments.of(Entity.ORDER_ITEMS, "quantity", "10001", "range"),
                Arguments.of(Entity.ORDER_ITEMS, "quantity", "three", "type"),
                Arguments.of(Entity.ORDER_ITEMS, "unit_price", "-1", "range"),
                Arguments.of(Entity.ORDER_ITEMS, "discount", "-1", "range"),
                Arguments.of(Entity.ORDER_ITEMS, "discount", "30.01", "discount_exceeds_line"),
                // payments
                Arguments.of(Entity.PAYMENTS, "order_id", null, "required"),
                Arguments.of(Entity.PAYMENTS, "method", "cash", "accepted_values"),
                Arguments.of(Entity.PAYMENTS, "amount", "0", "range"),
                Arguments.of(Entity.PAYMENTS, "amount", "-5", "range"),
                Arguments.of(Entity.PAYMENTS, "status", "pending", "accepted_values"),
                Arguments.of(Entity.PAYMENTS, "paid_at", "2025-03-01 12:00:00", "timestamp_format"));
    }

    @ParameterizedTest(name = "{0}.{1} = {2} -> {3}")
    @MethodSource("brokenFields")
    void shouldQuarantineABrokenFieldWithItsRule(Entity entity, String field, String value, String rule) {
        Map<String, String> override = new HashMap<>();
        override.put(field, value);
        ValidatedRow row = validate(entity, override);
        assertThat(row.valid()).isFalse();
        assertThat(row.reasons()).containsExactly(new Reason(field, rule, value == null || value.isEmpty() ? null : value));
    }

    /** Every bound itself is accepted: the quarantine starts just beyond it. */
    static Stream<Arguments> valuesAtTheBounds() {
        return Stream.of(
                Arguments.of(Entity.CUSTOMERS, Map.of("signup_at", "1900-01-01T00:00:00Z", "updated_at", "2025-06-02T00:00:00Z")),
                Arguments.of(Entity.CUSTOMERS, Map.of("first_name", "\ud83d\ude00 Zo\u00eb", "city", "\u4e2d".repeat(200),
                        "state", "s".repeat(200), "last_name", "\ud800\udc00".repeat(500))),
                Arguments.of(Entity.PRODUCTS, Map.of("unit_price", "1000000", "unit_cost", "1000000.00",
                        "category", "\u00e9".repeat(200), "name", "n".repeat(1000))),
                Arguments.of(Entity.PRODUCTS, Map.of("unit_price", "0", "unit_cost", "0")),
                Arguments.of(Entity.ORDER_ITEMS, Map.of("quantity", "10000", "unit_price", "1000000", "discount", "10000000000",
                        "line_number", "1000")),
                Arguments.of(Entity.ORDER_ITEMS, Map.of("quantity", "1", "unit_price", "0", "discount", "0", "line_number", "1")),
                Arguments.of(Entity.PAYMENTS, Map.of("amount", "10000000000", "paid_at", "1900-01-01T00:00:00+00:00")),
                Arguments.of(Entity.PAYMENTS, Map.of("amount", "0.01")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("valuesAtTheBounds")
    void shouldAcceptEveryValueAtItsBound(Entity entity, Map<String, String> values) {
        assertThat(validate(entity, values).reasons()).isEmpty();
    }

    @Test
    void shouldKeepReasonValuesStorable() {
        assertThat(new Reason("f", "r", "a\u0000b\ud800c\ud83d\ude00").value()).isEqualTo("a\ufffdb\ufffdc\ud83d\ude00");
        assertThat(StorableText.clean("\udc00\ud800")).isEqualTo("\ufffd\ufffd");
        assertThat(StorableText.firstUnstorable("ok \ud83d\ude00")).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entities")
    void shouldAcceptTheValidRowOfEveryEntity(Entity entity) {
        assertThat(validate(entity, Map.of()).reasons()).isEmpty();
    }

    static Stream<Entity> entities() {
        return Stream.of(Entity.values());
    }

    @Test
    void shouldCollectEveryReasonOfARowNotJustTheFirst() {
        Map<String, String> broken = new HashMap<>();
        broken.put("email", "nope");
        broken.put("country", "ZZ");
        broken.put("last_name", null);
        ValidatedRow row = validate(Entity.CUSTOMERS, broken);
        assertThat(row.reasons()).extracting(Reason::rule).containsExactlyInAnyOrder("email", "country_code", "required");
    }

    @Test
    void shouldCanonicalizeValuesForStaging() {
        ValidatedRow row = validate(Entity.ORDERS, Map.of());
        List<String> columns = RecordSchema.of(Entity.ORDERS).columnNames();
        // 23:30 at -05:00 is the next day in UTC
        assertThat(row.values()[columns.indexOf("order_ts")]).isEqualTo("2025-03-02T04:30:00Z");
        ValidatedRow product = validate(Entity.PRODUCTS, Map.of("unit_price", "39.900", "unit_cost", "1E+1"));
        List<String> productColumns = RecordSchema.of(Entity.PRODUCTS).columnNames();
        assertThat(product.values()[productColumns.indexOf("unit_price")]).isEqualTo("39.9");
        assertThat(product.values()[productColumns.indexOf("unit_cost")]).isEqualTo("10");
    }

    @Test
    void shouldDefaultAMissingDiscountToZeroAndAcceptOptionalFieldsAbsent() {
        Map<String, String> noDiscount = new HashMap<>();
        noDiscount.put("discount", null);
        ValidatedRow item = validate(Entity.ORDER_ITEMS, noDiscount);
        assertThat(item.valid()).isTrue();
        assertThat(item.values()[RecordSchema.of(Entity.ORDER_ITEMS).columnNames().indexOf("discount")]).isEqualTo("0");
        Map<String, String> noAddress = new HashMap<>();
        noAddress.put("city", null);
        noAddress.put("state", "");
        assertThat(validate(Entity.CUSTOMERS, noAddress).valid()).isTrue();
        Map<String, String> noCost = new HashMap<>();
        noCost.put("unit_cost", null);
        assertThat(validate(Entity.PRODUCTS, noCost).valid()).isTrue();
    }

    @Test
    void shouldAcceptBoundaryValues() {
        assertThat(validate(Entity.PRODUCTS, Map.of("unit_price", "1000000", "unit_cost", "0")).valid()).isTrue();
        assertThat(validate(Entity.PRODUCTS, Map.of("unit_price", "0")).valid()).isTrue();
        assertThat(validate(Entity.ORDER_ITEMS, Map.of("line_number", "1000", "quantity", "10000", "discount", "30")).valid())
                .isTrue();
        assertThat(validate(Entity.PAYMENTS, Map.of("amount", "0.01")).valid()).isTrue();
        // less than one day ahead is tolerated (clock skew between shops and us)
        assertThat(validate(Entity.ORDERS, Map.of("order_ts", "2025-06-01T23:59:59Z")).valid()).isTrue();
        assertThat(validate(Entity.CUSTOMERS, Map.of("customer_id", "A-z_0.9-" + "x".repeat(56))).valid()).isTrue();
    }

    @Test
    void shouldInsistOnJsonTypesInNdjson() {
        RowValidator validator = new RowValidator(RecordSchema.of(Entity.ORDER_ITEMS));
        Map<String, RawValue> row = new HashMap<>();
        row.put("order_id", new RawValue("7", true, true, false));           // a number where a key is text
        row.put("line_number", new RawValue("1", true, true, false));
        row.put("product_id", new RawValue("p-1", true, false, false));
        row.put("quantity", new RawValue("3", true, false, false));           // a string where a number belongs
        row.put("unit_price", new RawValue("{\"a\":1}", true, false, true));  // an object
        ValidatedRow validated = validator.validate(row, NOW);
        assertThat(validated.reasons()).containsExactlyInAnyOrder(
                new Reason("order_id", "type", "7"), new Reason("quantity", "type", "3"),
                new Reason("unit_price", "type", "{\"a\":1}"));
    }

    @Test
    void shouldRefuseOtherScriptsDigitsControlCharactersInEmailsAndTimestampsFinerThanMicroseconds() {
        // Java's number parsers read fullwidth and Arabic-Indic digits as 12: not what a CSV column of numbers means
        assertThat(validate(Entity.ORDER_ITEMS, Map.of("quantity", "\uff11\uff12")).reasons())
                .extracting(Reason::field, Reason::rule).containsExactly(tuple("quantity", Reason.TYPE));
        assertThat(validate(Entity.PRODUCTS, Map.of("unit_price", "\u0661\u0662.50")).reasons())
                .extracting(Reason::rule).containsExactly(Reason.TYPE);
        assertThat(validate(Entity.CUSTOMERS, Map.of("email", "a\u0001b@example.com")).reasons())
                .extracting(Reason::field, Reason::rule).containsExactly(tuple("email", Reason.EMAIL));
        // PostgreSQL would round .9999996 up into the next day: refused, not moved
        assertThat(validate(Entity.ORDERS, Map.of("order_ts", "2025-03-01T23:59:59.9999996Z")).reasons())
                .extracting(Reason::field, Reason::rule).containsExactly(tuple("order_ts", Reason.TIMESTAMP_PRECISION));
        assertThat(validate(Entity.ORDERS, Map.of("order_ts", "2025-03-01T23:59:59.999999Z")).valid()).isTrue();
        assertThat(validate(Entity.ORDERS, Map.of("order_ts", "2025-03-01T23:59:59.123456789+01:00")).reasons())
                .extracting(Reason::rule).containsExactly(Reason.TIMESTAMP_PRECISION);
    }
}
