package dev.shopflow.transform.api;

import static dev.shopflow.common.testing.Sql.sql;
import static dev.shopflow.common.testing.Sql.value;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Quality is deliberately unreachable here (%test profile): an audit that cannot run must block the publish. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service"))
class TransformRunResourceTests {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldNotPublishWhenTheAuditIsUnavailableAndRefuseASecondConcurrentRun() throws Exception {
        sql(dataSource, "INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, status, received, loaded, quarantined, "
                        + "unknown_fields, content_type, body_bytes, received_at, loaded_at) VALUES "
                        + "('00000000-0000-0000-0000-000000000001', 'orders', 'k1', 'loaded', 2, 2, 0, 0, "
                        + "'application/x-ndjson', 10, now(), now())",
                "INSERT INTO staging.orders (order_id, customer_id, order_ts, status, channel, updated_at, batch_seq) "
                        + "VALUES ('o1', 'c1', '2025-03-01T23:30:00Z', 'paid', 'web', now(), 1), "
                        + "('o2', 'c1', '2025-03-01T10:00:00Z', 'cancelled', 'web', now(), 1)",
                "INSERT INTO staging.order_items (order_id, line_number, product_id, quantity, unit_price, discount, "
                        + "batch_seq) VALUES ('o1', 1, 'p1', 3, 10.00, 5.00, 1), ('o2', 1, 'p1', 1, 99.00, 0, 1)");

        auth().body("{}").post("/api/v1/transform-runs").then().statusCode(202);
        JsonPath conflict = auth().body("{}").post("/api/v1/transform-runs").then().statusCode(409)
                .contentType("application/problem+json").extract().jsonPath();
        long runId = conflict.getLong("running_run_id");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String status = "running";
        while (status.equals("running") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            status = given().get("/api/v1/transform-runs/" + runId).then().statusCode(200).extract().path("status");
        }
        given().get("/api/v1/transform-runs/" + runId).then().body("status", equalTo("audit_failed"))
                .body("published_version", equalTo(null));
        assertThat((String) value(dataSource, "SELECT error FROM pipeline.transform_run WHERE run_id = " + runId))
                .startsWith("audit unavailable");
        assertThat(value(dataSource, "SELECT count(*) FROM pipeline.published_version")).isEqualTo(0L);
        assertThat(value(dataSource, "SELECT status FROM pipeline.batch WHERE idempotency_key = 'k1'")).isEqualTo("audit_failed");
        assertThat(value(dataSource, "SELECT count(*) FROM marts.mart_daily_sales")).as("the unaudited version is discarded").isEqualTo(0L);
        // the fact itself was built: 3 x 10.00 - 5.00 for the paid order, the cancelled one not qualifying
        assertThat((BigDecimal) value(dataSource, "SELECT sum(revenue) FROM warehouse.fact_order_line WHERE is_qualifying"))
                .isEqualByComparingTo("25.00");
    }

    /**
     * A serialization failure retries the build transaction instead of failing the run: another session
     * holds the ledger row the run's claim must update and commits after the run's snapshot began, so the
     * claim meets SQLSTATE 40001; the second attempt, on a new snapshot, builds (and, quality being
     * unreachable here, ends audit_failed rather than failed).
     */
    @Test
    void shouldRetryTheBuildAfterASerializationFailure() throws Exception {
        sql(dataSource, "INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, status, received, loaded, quarantined, "
                + "unknown_fields, content_type, body_bytes, received_at, loaded_at) VALUES "
                + "('00000000-0000-0000-0000-0000000000a1', 'orders', 'k-retry', 'loaded', 0, 0, 0, 0, "
                + "'application/x-ndjson', 10, now(), now())");
        long runId;
        try (Connection other = dataSource.getConnection(); Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.execute("UPDATE pipeline.batch SET body_bytes = body_bytes + 1 WHERE idempotency_key = 'k-retry'");
            runId = auth().body("{\"rebuild\":{}}").post("/api/v1/transform-runs").then().statusCode(202)
                    .extract().jsonPath().getLong("run_id");
            Thread.sleep(1500); // the run's claim now waits for this session's row lock
            other.commit();
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String status = "running";
        while (status.equals("running") && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            status = given().get("/api/v1/transform-runs/" + runId).then().statusCode(200).extract().path("status");
        }
        assertThat(status).isEqualTo("audit_failed");
        assertThat((String) value(dataSource, "SELECT string_agg(s ->> 'step', ',') FROM pipeline.transform_run, "
                + "jsonb_array_elements(steps) s WHERE run_id = " + runId)).contains("retry_40001");
        assertThat(value(dataSource, "SELECT transform_run_id FROM pipeline.batch WHERE idempotency_key = 'k-retry'")).isEqualTo(runId);
    }

    /**
     * A row that makes every run fail (one that ingestion's bounds now refuse, written to staging
     * directly): the run names the batch and the reason, automatic runs back off instead of retrying
     * every few seconds, the gauge says so, and a rebuild still starts at once.
     */
    @Test
    void shouldNameTheBatchOfADeterministicFailureAndBackOff() throws Exception {
        sql(dataSource, "INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, status, received, loaded, quarantined, "
                        + "unknown_fields, content_type, body_bytes, received_at, loaded_at) VALUES "
                        + "('00000000-0000-0000-0000-000000000002', 'order_items', 'k-overflow', 'loaded', 1, 1, 0, 0, "
                        + "'application/x-ndjson', 10, now(), now())",
                "INSERT INTO staging.orders (order_id, customer_id, order_ts, status, channel, updated_at, batch_seq) "
                        + "VALUES ('o-overflow', 'c1', '2025-03-02T10:00:00Z', 'paid', 'web', now(), 2)",
                "INSERT INTO staging.order_items (order_id, line_number, product_id, quantity, unit_price, discount, "
                        + "batch_seq) VALUES ('o-overflow', 1, 'p1', 10000, 999999999999.99, 0, 2)");
        long first = waitForEnd(startRun("{}"));
        JsonPath run = given().get("/api/v1/transform-runs/" + first).then().statusCode(200)
                .body("status", equalTo("failed")).body("consecutive_failures", equalTo(1)).extract().jsonPath();
        assertThat(run.getString("error")).contains("numeric field overflow").contains("SQLSTATE 22003")
                .contains("fails the same way").contains("00000000-0000-0000-0000-000000000002 (order_items)");
        Instant retryAfter = Instant.parse(run.getString("retry_after"));
        assertThat(retryAfter).isAfter(Instant.now());

        // an incremental request (what ingestion's nudge sends) waits: 503 with Retry-After and the reason
        auth().body("{}").post("/api/v1/transform-runs").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("failed_run_id", equalTo((int) first))
                .body("detail", org.hamcrest.Matchers.containsString("numeric field overflow"));
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "shopflow_transform_consecutive_failures 1.0"));

        // a rebuild starts at once; failing again doubles the wait
        long second = waitForEnd(startRun("{\"rebuild\":{}}"));
        JsonPath again = given().get("/api/v1/transform-runs/" + second).then().body("status", equalTo("failed"))
                .body("consecutive_failures", equalTo(2)).extract().jsonPath();
        Duration firstWait = Duration.between(Instant.parse(run.getString("finished_at")), retryAfter);
        Duration secondWait = Duration.between(Instant.parse(again.getString("finished_at")),
                Instant.parse(again.getString("retry_after")));
        assertThat(secondWait.toMillis()).isBetween(firstWait.toMillis() * 2 - 1000, firstWait.toMillis() * 2 + 1000);

        // once the data is repaired a rebuild runs through (audit_failed here: quality is unreachable),
        // which ends the back-off
        sql(dataSource, "DELETE FROM staging.order_items WHERE order_id = 'o-overflow'");
        long third = waitForEnd(startRun("{\"rebuild\":{}}"));
        given().get("/api/v1/transform-runs/" + third).then().body("status", equalTo("audit_failed"));
        int status = auth().body("{}").post("/api/v1/transform-runs").then().extract().statusCode();
        assertThat(status).isIn(202, 409);
        if (status == 202) {
            waitForEnd(((Number) value(dataSource, "SELECT max(run_id) FROM pipeline.transform_run")).longValue());
        }
    }

    /**
     * Starts a run, waiting out a 409: a run's status is final a moment before it releases the run
     * lock, so the run an earlier test waited for can still hold it.
     */
    long startRun(String body) throws InterruptedException {
        // seconds, not more: a failed run that kept the lock made every later start a 409 for good
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (true) {
            io.restassured.response.Response response = auth().body(body).post("/api/v1/transform-runs");
            if (response.statusCode() != 409 || Instant.now().isAfter(deadline)) {
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
                return ((Number) response.path("run_id")).longValue();
            }
            Thread.sleep(100);
        }
    }

    long waitForEnd(long runId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            String status = given().get("/api/v1/transform-runs/" + runId).then().statusCode(200).extract().path("status");
            if (!status.equals("running")) {
                return runId;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + runId + " did not end");
    }

    @Test
    void shouldRefuseARebuildRangeOutsideTheDatesARecordCanCarry() {
        for (String body : new String[] {"{\"rebuild\":{\"from\":\"+999999999-01-01\",\"to\":\"+999999999-12-31\"}}",
                "{\"rebuild\":{\"from\":\"1899-12-31\",\"to\":\"2025-01-01\"}}",
                "{\"rebuild\":{\"from\":\"2025-01-01\",\"to\":\"2999-01-01\"}}"}) {
            auth().body(body).post("/api/v1/transform-runs").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.startsWith("rebuild.")))
                    .body("errors.message", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("1900-01-01")));
        }
    }

    @Test
    void shouldAnswerAnUnknownRunWith404() {
        given().get("/api/v1/transform-runs/999999").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/transform-runs/abc").then().statusCode(404);
    }

    static io.restassured.specification.RequestSpecification auth() {
        return given().auth().preemptive().basic("shopflow", "shopflow-dev").contentType("application/json");
    }

    /** GET /api/v1/transform-runs lists runs newest first, by status, a page at a time (issue 36: it was a 405). */
    @Test
    void shouldListRunsNewestFirstAPageAtATime() throws Exception {
        waitForEnd(startRun("{}"));
        waitForEnd(startRun("{}"));
        io.restassured.path.json.JsonPath page = io.restassured.RestAssured.given().get("/api/v1/transform-runs?limit=1")
                .then().statusCode(200).extract().jsonPath();
        long newest = page.getLong("items[0].run_id");
        assertThat(page.getString("next")).contains("before=" + newest);
        io.restassured.path.json.JsonPath second = io.restassured.RestAssured.given().get(page.getString("next"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(second.getLong("items[0].run_id")).isLessThan(newest);
        String status = page.getString("items[0].status");
        assertThat(io.restassured.RestAssured.given().get("/api/v1/transform-runs?status=" + status + "&limit=1000").then()
                .statusCode(200).extract().jsonPath().getList("items.status", String.class)).isNotEmpty().containsOnly(status);
        io.restassured.RestAssured.given().get("/api/v1/transform-runs?status=sleeping").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("status"));
    }
}
