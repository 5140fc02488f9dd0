package dev.shopflow.ingestion.api;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.one;
import static dev.shopflow.ingestion.Fixtures.NDJSON;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static dev.shopflow.ingestion.Fixtures.customer;
import static dev.shopflow.ingestion.Fixtures.item;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.ingestion.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The values that used to fail a whole batch (a 500 or 400 from PostgreSQL): each now lands its row
 * in quarantine with a reason while the good rows of the same batch load (issue 16's first list).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class EdgeValueTests {

    @Inject
    AgroalDataSource dataSource;

    static String payment(String id, String amount, String paidAt) {
        return "{\"payment_id\":\"" + id + "\",\"order_id\":\"o-1\",\"method\":\"paypal\",\"amount\":" + amount
                + ",\"status\":\"captured\",\"paid_at\":\"" + paidAt + "\"}";
    }

    static Stream<Arguments> hostileRows() {
        String ok = "2025-01-02T00:00:00Z";
        return Stream.of(
                Arguments.of("customers", customer("c-edge-nul", "a@example.com", ok).replace("\"Ada\"", "\"A\\u0000B\""),
                        customer("c-edge-ok1", "b@example.com", ok), "first_name", "nul_character"),
                Arguments.of("customers", customer("c-edge-sur", "a@example.com", ok).replace("\"London\"", "\"Lon\\ud800don\""),
                        customer("c-edge-ok2", "b@example.com", ok), "city", "invalid_unicode"),
                Arguments.of("customers", customer("c-edge-y0", "a@example.com", "0000-01-01T00:00:00Z"),
                        customer("c-edge-ok3", "b@example.com", ok), "updated_at", "out_of_range"),
                Arguments.of("customers", customer("c-edge-yneg", "a@example.com", "-0500-01-01T00:00:00Z"),
                        customer("c-edge-ok4", "b@example.com", ok), "updated_at", "out_of_range"),
                Arguments.of("payments", payment("pay-edge-1", "1e15", ok), payment("pay-edge-ok1", "10.50", ok),
                        "amount", "out_of_range"),
                Arguments.of("payments", payment("pay-edge-2", "1e308", ok), payment("pay-edge-ok2", "10.50", ok),
                        "amount", "out_of_range"),
                Arguments.of("payments", payment("pay-edge-3", "123456789012345678901234567890", ok),
                        payment("pay-edge-ok3", "10000000000", ok), "amount", "out_of_range"),
                Arguments.of("payments", payment("pay-edge-4", "5", "-0500-01-01T00:00:00Z"),
                        payment("pay-edge-ok4", "5", "1900-01-01T00:00:00Z"), "paid_at", "out_of_range"),
                Arguments.of("order_items", item("o-edge-1", 1, 1, "1e15"), item("o-edge-ok1", 1, 10_000, "1000000"),
                        "unit_price", "out_of_range"),
                Arguments.of("order_items", item("o-edge-2", 1, 10_000, "999999999999.99"),
                        item("o-edge-ok2", 1000, 10_000, "1000000.00"), "unit_price", "out_of_range"));
    }

    @ParameterizedTest(name = "{0}: {3} -> {4}")
    @MethodSource("hostileRows")
    void shouldQuarantineTheRowAndLoadTheRestOfItsBatch(String entity, String bad, String good, String field, String rule)
            throws Exception {
        String batchId = authorized().contentType(NDJSON).body(bad + "\n" + good + "\n")
                .post("/api/v1/batches/" + entity)
                .then().statusCode(201)
                .body("received", equalTo(2)).body("loaded", equalTo(1)).body("quarantined", equalTo(1))
                .extract().path("batch_id");
        given().queryParam("batch_id", batchId).get("/api/v1/quarantine").then().statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].reasons[0].field", equalTo(field))
                .body("items[0].reasons[0].rule", equalTo(rule));
        assertThat(count(dataSource, "SELECT loaded FROM pipeline.batch WHERE batch_id = '" + batchId + "'"))
                .isEqualTo(1);
    }

    @Test
    void shouldQuarantineACsvRowWithARawNulByteAndKeepItsLineReadable() throws Exception {
        String csv = "customer_id,email,first_name,last_name,country,signup_at,updated_at\n"
                + "c-csv-nul,a@example.com,A\u0000B,Lovelace,GB,2025-01-01T00:00:00Z,2025-01-02T00:00:00Z\n"
                + "c-csv\u0000key,a@example.com,Ada,Lovelace,GB,2025-01-01T00:00:00Z,2025-01-02T00:00:00Z\n"
                + "c-csv-ok,b@example.com,Ada,Lovelace,GB,2025-01-01T00:00:00Z,2025-01-02T00:00:00Z\n";
        String batchId = authorized().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/batches/customers")
                .then().statusCode(201).body("loaded", equalTo(1)).body("quarantined", equalTo(2))
                .extract().path("batch_id");
        ValidatableResponse quarantine = given().queryParam("batch_id", batchId).get("/api/v1/quarantine").then()
                .statusCode(200).body("items.size()", equalTo(2));
        List<Map<String, Object>> items = quarantine.extract().path("items");
        assertThat(items).extracting(i -> ((List<Map<String, String>>) i.get("reasons")).get(0).get("rule"))
                .containsExactlyInAnyOrder("nul_character", "key_format");
        // the line is kept readable (U+FFFD for the NUL); the raw copy keeps the exact bytes
        assertThat(items).extracting(i -> (String) i.get("original_line")).allSatisfy(l -> assertThat(l).contains("\uFFFD"));
        assertThat(count(dataSource, "SELECT count(*) FROM raw.batch_body WHERE batch_id = '" + batchId + "'"))
                .isEqualTo(1);
    }

    /**
     * The safety net behind the validator: a value every rule accepts but the column cannot hold
     * (the staging column narrowed here to make one) lands its row in quarantine as unstorable,
     * on the direct path (COPY into staging) and on the merge path (existing keys) alike.
     */
    @Test
    void shouldQuarantineAValueTheDatabaseStillRefusesInsteadOfFailingTheBatch() throws Exception {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            // rows of earlier tests that would not fit are capped for the duration (only their amounts change)
            st.execute("ALTER TABLE staging.payments ALTER COLUMN amount TYPE numeric(6,2) USING least(amount, 9999.99)");
        }
        try {
            String ok = "2025-01-02T00:00:00Z";
            for (String path : List.of("direct", "merge")) {
                String body = payment("pay-narrow-ok-" + path, "12.34", ok) + "\n"
                        + payment("pay-narrow-big-" + path, "100000", ok) + "\n"
                        + payment("pay-narrow-ok2-" + path, "9999.99", ok) + "\n";
                if (path.equals("merge")) {
                    body = payment("pay-narrow-ok-direct", "1.00", ok) + "\n" + body;
                }
                String batchId = authorized().contentType(NDJSON).body(body).post("/api/v1/batches/payments")
                        .then().statusCode(201).body("quarantined", equalTo(1))
                        .body("loaded", equalTo(path.equals("merge") ? 3 : 2)).extract().path("batch_id");
                given().queryParam("batch_id", batchId).get("/api/v1/quarantine").then().statusCode(200)
                        .body("items.size()", equalTo(1))
                        .body("items[0].reasons[0].field", equalTo("amount"))
                        .body("items[0].reasons[0].rule", equalTo("unstorable"))
                        .body("items[0].reasons[0].value", equalTo("100000"));
                assertThat(count(dataSource, "SELECT count(*) FROM staging.payments WHERE payment_id LIKE "
                        + "'pay-narrow-%-" + path + "'")).isEqualTo(2);
            }
            assertThat(one(dataSource, "SELECT amount FROM staging.payments WHERE payment_id = 'pay-narrow-ok-direct'"))
                    .as("the later batch's version of a key wins").isEqualTo("1.00");
        } finally {
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.execute("ALTER TABLE staging.payments ALTER COLUMN amount TYPE numeric(14,2)");
            }
        }
    }

    @Test
    void shouldStageTheLargestLineTheBoundsAllow() throws Exception {
        String order = "o-edge-max-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder body = new StringBuilder();
        for (int line = 1; line <= 1000; line++) {
            body.append("{\"order_id\":\"").append(order).append("\",\"line_number\":").append(line)
                    .append(",\"product_id\":\"p-1\",\"quantity\":10000,\"unit_price\":1000000,\"discount\":")
                    .append(line == 1 ? "10000000000" : "0.01").append("}\n");
        }
        authorized().contentType(NDJSON).body(body.toString()).post("/api/v1/batches/order_items")
                .then().statusCode(201).body("loaded", equalTo(1000)).body("quarantined", equalTo(0));
        assertThat(one(dataSource, "SELECT sum(quantity * unit_price - discount) FROM staging.order_items "
                + "WHERE order_id = '" + order + "'")).isEqualTo("9989999999990.01");
    }
}
