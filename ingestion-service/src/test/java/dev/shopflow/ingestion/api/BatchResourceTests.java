package dev.shopflow.ingestion.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BatchResourceTests {

    static final String NDJSON = "application/x-ndjson";

    @Inject
    AgroalDataSource dataSource;

    static {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig()
                        .encodeContentTypeAs(NDJSON, io.restassured.http.ContentType.TEXT)
                        .encodeContentTypeAs("application/xml", io.restassured.http.ContentType.TEXT));
    }

    static io.restassured.specification.RequestSpecification authorized() {
        return given().auth().preemptive().basic("shopflow", "shopflow-dev");
    }

    static String customer(String id, String email, String updatedAt) {
        return "{\"customer_id\":\"" + id + "\",\"email\":\"" + email + "\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
                + "\"city\":\"London\",\"country\":\"GB\",\"signup_at\":\"2025-01-01T10:00:00Z\",\"updated_at\":\"" + updatedAt + "\"}";
    }

    long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void shouldLoadValidRowsAndQuarantineBadOnesWithEveryReason() throws Exception {
        String body = customer("c-load-1", "ada@example.com", "2025-01-02T00:00:00Z") + "\n"
                + "{\"customer_id\":\"c-load-2\",\"email\":\"not-an-email\",\"first_name\":\"Bob\",\"country\":\"XX\","
                + "\"signup_at\":\"2025-01-01T10:00:00Z\",\"updated_at\":\"2025-01-02T00:00:00Z\",\"shoe_size\":44}\n"
                + "[1,2,3]\n";
        String batchId = authorized().contentType(NDJSON).body(body)
                .when().post("/api/v1/batches/customers")
                .then().statusCode(201)
                .body("received", equalTo(3)).body("loaded", equalTo(1)).body("quarantined", equalTo(2))
                .body("unknown_fields", equalTo(1)).body("status", equalTo("loaded"))
                .extract().path("batch_id");

        assertThat(count("SELECT count(*) FROM staging.customers WHERE customer_id = 'c-load-1'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM staging.customers WHERE customer_id = 'c-load-2'")).isZero();
        given().queryParam("batch_id", batchId).when().get("/api/v1/quarantine").then().statusCode(200)
                .body("items.size()", equalTo(2))
                .body("items.find { it.line_number == 2 }.reasons.rule", hasItem("email"))
                .body("items.find { it.line_number == 2 }.reasons.rule", hasItem("country_code"))
                .body("items.find { it.line_number == 2 }.reasons.field", hasItem("last_name"))
                .body("items.find { it.line_number == 3 }.reasons[0].rule", equalTo("malformed"));
        assertThat(count("SELECT count(*) FROM raw.batch_body WHERE batch_id = '" + batchId + "'")).isEqualTo(1);
        given().when().get("/api/v1/batches/" + batchId).then().statusCode(200)
                .body("received", equalTo(3)).body("status", equalTo("loaded"));
    }

    @Test
    void shouldLoadOnceWhenTheSameIdempotencyKeyIsReplayed() throws Exception {
        String body = customer("c-replay", "r@example.com", "2025-01-02T00:00:00Z");
        String first = authorized().contentType(NDJSON).header("Idempotency-Key", "replay-1").body(body)
                .post("/api/v1/batches/customers").then().statusCode(201).extract().path("batch_id");
        String second = authorized().contentType(NDJSON).header("Idempotency-Key", "replay-1").body(body)
                .post("/api/v1/batches/customers").then().statusCode(200).extract().path("batch_id");
        assertThat(second).isEqualTo(first);
        assertThat(count("SELECT count(*) FROM pipeline.batch WHERE idempotency_key = 'replay-1'")).isEqualTo(1);
    }

    @Test
    void shouldKeepTheNewestVersionWhateverTheArrivalOrder() throws Exception {
        authorized().contentType(NDJSON).body(customer("c-version", "new@example.com", "2025-02-01T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(201);
        authorized().contentType(NDJSON).body(customer("c-version", "old@example.com", "2025-01-01T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(201);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT email FROM staging.customers WHERE customer_id = 'c-version'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("new@example.com");
        }
    }

    @Test
    void shouldRefuseAPostWithoutCredentialsAsProblemJson() {
        given().contentType(NDJSON).body(customer("c-anon", "a@example.com", "2025-01-02T00:00:00Z"))
                .when().post("/api/v1/batches/customers")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Basic"))
                .body("status", equalTo(401));
        given().auth().preemptive().basic("shopflow", "wrong").contentType(NDJSON).body("{}")
                .when().post("/api/v1/batches/customers")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void shouldAnswerUnknownEntityWith404() {
        authorized().contentType(NDJSON).body("{}").when().post("/api/v1/batches/widgets")
                .then().statusCode(404).contentType("application/problem+json").body("detail", containsString("widgets"));
    }

    @Test
    void shouldAnswerUnsupportedMediaTypeWith415() {
        authorized().contentType("application/xml").body("<a/>").when().post("/api/v1/batches/customers")
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void shouldRefuseInvalidUtf8WithoutWritingAnything() throws Exception {
        long before = count("SELECT count(*) FROM pipeline.batch");
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        authorized().contentType(NDJSON).body(body).when().post("/api/v1/batches/customers")
                .then().statusCode(400).contentType("application/problem+json");
        assertThat(count("SELECT count(*) FROM pipeline.batch")).isEqualTo(before);
    }

    @Test
    void shouldAnswerUnknownBatchWith404() {
        given().when().get("/api/v1/batches/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/api/v1/batches/not-a-uuid").then().statusCode(404);
    }

    @Test
    void shouldRejectAnOutOfRangeLimit() {
        given().queryParam("limit", "0").when().get("/api/v1/batches").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
    }

    @Test
    void shouldBeReadyAndExposeMetricsAndOpenApi() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/batches"));
        authorized().contentType(NDJSON).body(customer("c-metrics", "m@example.com", "2025-01-02T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(201);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("shopflow_ingest_rows_total{entity=\"customers\",outcome=\"loaded\"}"))
                .body(containsString("shopflow_ingest_batch_seconds_bucket"));
    }
}
