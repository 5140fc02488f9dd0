package dev.shopflow.ingestion.api;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.one;
import static dev.shopflow.ingestion.Fixtures.NDJSON;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static dev.shopflow.ingestion.Fixtures.request;
import static dev.shopflow.ingestion.Fixtures.customer;
import static dev.shopflow.ingestion.Fixtures.item;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.ingestion.Fixtures;
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

    @Inject
    AgroalDataSource dataSource;

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

        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id = 'c-load-1'")).isEqualTo(1);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id = 'c-load-2'")).isZero();
        given().queryParam("batch_id", batchId).when().get("/api/v1/quarantine").then().statusCode(200)
                .body("items.size()", equalTo(2))
                .body("items.find { it.line_number == 2 }.reasons.rule", hasItem("email"))
                .body("items.find { it.line_number == 2 }.reasons.rule", hasItem("country_code"))
                .body("items.find { it.line_number == 2 }.reasons.field", hasItem("last_name"))
                .body("items.find { it.line_number == 3 }.reasons[0].rule", equalTo("malformed"));
        assertThat(count(dataSource, "SELECT count(*) FROM raw.batch_body WHERE batch_id = '" + batchId + "'")).isEqualTo(1);
        given().when().get("/api/v1/batches/" + batchId).then().statusCode(200)
                .body("received", equalTo(3)).body("status", equalTo("loaded"));
    }

    /** Every problem names its occurrence (RFC 9457 instance), and one bad parameter is one error, not three. */
    @Test
    void shouldGiveEveryProblemAnInstanceAndOneErrorPerBadParameter() {
        String first = given().get("/api/v1/batches?limit=abc").then().statusCode(400)
                .contentType(org.hamcrest.Matchers.containsString("problem+json"))
                .body("errors.size()", equalTo(1)).body("errors[0].field", equalTo("limit"))
                .body("instance", org.hamcrest.Matchers.startsWith("urn:uuid:")).extract().path("instance");
        String second = authorized().contentType(NDJSON).body("{}").post("/api/v1/batches/widgets").then().statusCode(404)
                .body("instance", org.hamcrest.Matchers.startsWith("urn:uuid:")).extract().path("instance");
        assertThat(second).isNotEqualTo(first);
    }

    /** Lists page by keyset: a full page gives the request for the next one, the last page none. */
    @Test
    void shouldPageTheQuarantineAndTheLedgerWithNextLinks() {
        String batchId = authorized().contentType(NDJSON).body("[1]\n[2]\n[3]\n[4]\n[5]\n").post("/api/v1/batches/orders")
                .then().statusCode(201).body("quarantined", equalTo(5)).extract().path("batch_id");
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        String next = "/api/v1/quarantine?batch_id=" + batchId + "&limit=2";
        int pages = 0;
        while (next != null) {
            io.restassured.path.json.JsonPath page = given().get(next).then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("items.id", Integer.class));
            next = page.getString("next");
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(5).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());
        io.restassured.path.json.JsonPath batches = given().get("/api/v1/batches?limit=1").then().statusCode(200).extract().jsonPath();
        assertThat(batches.getString("next")).startsWith("/api/v1/batches?").contains("before=" + batches.getLong("items[0].batch_seq"));
        given().get(batches.getString("next")).then().statusCode(200)
                .body("items[0].batch_seq", org.hamcrest.Matchers.lessThan(batches.getInt("items[0].batch_seq")));
        given().get("/api/v1/quarantine?before=x").then().statusCode(400).body("errors[0].field", equalTo("before"));
    }

    /** A gzip-compressed body (Content-Encoding) is read as its rows, not as text (issue 36). */
    @Test
    void shouldReadAGzipCompressedBody() throws Exception {
        String body = customer("c-gzip-1", "gz1@example.com", "2025-01-02T00:00:00Z") + "\n"
                + customer("c-gzip-2", "gz2@example.com", "2025-01-02T00:00:00Z") + "\n";
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        authorized().contentType(NDJSON).header("Content-Encoding", "gzip").body(gz.toByteArray())
                .post("/api/v1/batches/customers").then().statusCode(201).body("received", equalTo(2)).body("loaded", equalTo(2));
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id LIKE 'c-gzip-%'")).isEqualTo(2);
    }

    @Test
    void shouldLoadOnceWhenTheSameIdempotencyKeyIsReplayed() throws Exception {
        String body = customer("c-replay", "r@example.com", "2025-01-02T00:00:00Z");
        String first = authorized().contentType(NDJSON).header("Idempotency-Key", "replay-1").body(body)
                .post("/api/v1/batches/customers").then().statusCode(201).extract().path("batch_id");
        String second = authorized().contentType(NDJSON).header("Idempotency-Key", "replay-1").body(body)
                .post("/api/v1/batches/customers").then().statusCode(200).extract().path("batch_id");
        assertThat(second).isEqualTo(first);
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key = 'replay-1'")).isEqualTo(1);
    }

    /** The README's key per entity and day, re-sent with a corrected file: refused out loud, not dropped. */
    @Test
    void shouldRefuseAReusedIdempotencyKeyWithAnotherBodyAndLoadNothing() throws Exception {
        String first = authorized().contentType(NDJSON).header("Idempotency-Key", "IDEM-K")
                .body(customer("IDEM-1", "idem1@example.com", "2025-01-02T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(201).extract().path("batch_id");
        authorized().contentType(NDJSON).header("Idempotency-Key", "IDEM-K")
                .body(customer("IDEM-2", "idem2@example.com", "2025-01-02T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(422).contentType("application/problem+json")
                .body("idempotency_key", equalTo("IDEM-K")).body("batch_id", equalTo(first))
                .body("detail", containsString("different body"));
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id = 'IDEM-2'")).isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key = 'IDEM-K'")).isEqualTo(1);
        // the same key and the first body is still the replay it always was
        authorized().contentType(NDJSON).header("Idempotency-Key", "IDEM-K")
                .body(customer("IDEM-1", "idem1@example.com", "2025-01-02T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(200).body("batch_id", equalTo(first));
        // and the corrected file under its own key loads
        authorized().contentType(NDJSON).header("Idempotency-Key", "IDEM-K-2")
                .body(customer("IDEM-2", "idem2@example.com", "2025-01-02T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(201);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id = 'IDEM-2'")).isEqualTo(1);
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
        request().contentType(NDJSON).body(customer("c-anon", "a@example.com", "2025-01-02T00:00:00Z"))
                .when().post("/api/v1/batches/customers")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Basic"))
                .body("status", equalTo(401));
        request().auth().preemptive().basic("shopflow", "wrong").contentType(NDJSON).body("{}")
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
        long before = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        authorized().contentType(NDJSON).body(body).when().post("/api/v1/batches/customers")
                .then().statusCode(400).contentType("application/problem+json");
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(before);
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

    @Test
    void shouldAnswerABodyOverTheLimitWith413AndKeepNothing() throws Exception {
        long before = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        StringBuilder body = new StringBuilder();
        while (body.length() <= 4 * 1024 * 1024) {
            body.append(item("o-big", 1, 1, "1.00")).append('\n');
        }
        authorized().contentType(NDJSON).body(body.toString()).when().post("/api/v1/batches/order_items")
                .then().statusCode(413).contentType("application/problem+json").body("detail", containsString("4194304"));
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(before);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id = 'o-big'")).isZero();
    }

    @Test
    void shouldLetTheLatestBatchWinForItemsAndDeduplicateKeysWithinABatch() throws Exception {
        authorized().contentType(NDJSON).body(item("o-latest", 1, 1, "5.00") + "\n" + item("o-latest", 2, 1, "6.00"))
                .post("/api/v1/batches/order_items").then().statusCode(201);
        // a re-sent line in a later batch replaces the earlier one; within a batch the last line of a key wins
        authorized().contentType(NDJSON).body(item("o-latest", 1, 4, "5.00") + "\n" + item("o-latest", 1, 7, "5.00"))
                .post("/api/v1/batches/order_items").then().statusCode(201).body("loaded", equalTo(2));
        assertThat(one(dataSource, "SELECT string_agg(line_number || ':' || quantity, ',' ORDER BY line_number) "
                + "FROM staging.order_items WHERE order_id = 'o-latest'")).isEqualTo("1:7,2:1");
    }

    @Test
    void shouldIgnoreAnEqualOrOlderVersionButKeepEveryVersionForHistory() throws Exception {
        authorized().contentType(NDJSON).body(customer("c-hist", "v2@example.com", "2025-02-01T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(201);
        authorized().contentType(NDJSON).body(customer("c-hist", "v2-again@example.com", "2025-02-01T00:00:00Z") + "\n"
                        + customer("c-hist", "v1@example.com", "2025-01-01T00:00:00Z"))
                .post("/api/v1/batches/customers").then().statusCode(201);
        assertThat(one(dataSource, "SELECT email FROM staging.customers WHERE customer_id = 'c-hist'")).isEqualTo("v2@example.com");
        assertThat(one(dataSource, "SELECT string_agg(email, ',' ORDER BY updated_at) FROM staging.customer_versions "
                + "WHERE customer_id = 'c-hist'")).isEqualTo("v1@example.com,v2@example.com");
    }

    @Test
    void shouldListTheLedgerFilteredByEntityAndStatus() {
        authorized().contentType(NDJSON).header("Idempotency-Key", "ledger-list").body(item("o-ledger", 1, 1, "1.00"))
                .post("/api/v1/batches/order_items").then().statusCode(201);
        given().queryParam("entity", "order_items").queryParam("status", "loaded").queryParam("limit", "1000")
                .when().get("/api/v1/batches").then().statusCode(200)
                .body("items.idempotency_key", hasItem("ledger-list"))
                .body("items.entity.unique()", equalTo(java.util.List.of("order_items")));
        given().queryParam("entity", "payments").queryParam("status", "published")
                .when().get("/api/v1/batches").then().statusCode(200).body("items.size()", equalTo(0));
        given().queryParam("entity", "order_items").queryParam("limit", "1000")
                .when().get("/api/v1/quarantine").then().statusCode(200);
        given().queryParam("entity", "widgets").queryParam("status", "lost")
                .when().get("/api/v1/batches").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(java.util.List.of("entity", "status")));
    }

    @Test
    void shouldListTheLedgerAndTheQuarantineNewestFirstWithinTheLimit() {
        for (String key : new String[] {"newest-1", "newest-2", "newest-3"}) {
            authorized().contentType(NDJSON).header("Idempotency-Key", key)
                    .body(item("o-" + key, 1, 1, "1.00") + "\n{\"order_id\": \"o-" + key + "\", \"line_number\": \"x\"}")
                    .post("/api/v1/batches/order_items").then().statusCode(201);
        }
        var newest = given().queryParam("limit", "2").when().get("/api/v1/batches").then().statusCode(200)
                .body("items.size()", equalTo(2)).extract().jsonPath();
        assertThat(newest.getString("items[0].idempotency_key")).isEqualTo("newest-3");
        assertThat(newest.getString("items[1].idempotency_key")).isEqualTo("newest-2");
        assertThat(newest.getLong("items[0].batch_seq")).isGreaterThan(newest.getLong("items[1].batch_seq"));
        given().queryParam("status", "loaded").queryParam("limit", "1000").when().get("/api/v1/batches").then()
                .statusCode(200).body("items.status.unique()", equalTo(java.util.List.of("loaded")))
                .body("items.idempotency_key", hasItem("newest-1"));
        var rejected = given().queryParam("entity", "order_items").queryParam("limit", "2").when().get("/api/v1/quarantine")
                .then().statusCode(200).body("items.size()", equalTo(2))
                .body("items.entity.unique()", equalTo(java.util.List.of("order_items"))).extract().jsonPath();
        assertThat(rejected.getLong("items[0].id")).isGreaterThan(rejected.getLong("items[1].id"));
        assertThat(rejected.getString("items[0].original_line")).contains("o-newest-3");
        assertThat(rejected.getString("items[0].reasons[0].field")).isEqualTo("line_number");
    }

    static String lines(String orderId, int from, int to, int quantity) {
        StringBuilder body = new StringBuilder();
        for (int line = from; line <= to; line++) {
            body.append(item(orderId, line, quantity, "2.00")).append('\n');
        }
        return body.toString();
    }

    @Test
    void shouldLoadABatchOfNewKeysWithItsQuarantinedRows() throws Exception {
        String body = lines("o-direct", 1, 999, 1) + "{\"order_id\":\"o-direct\",\"line_number\":0}\n" + "oops\n";
        String batchId = authorized().contentType(NDJSON).body(body).post("/api/v1/batches/order_items")
                .then().statusCode(201).body("received", equalTo(1001)).body("loaded", equalTo(999))
                .body("quarantined", equalTo(2)).extract().path("batch_id");
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id = 'o-direct'")).isEqualTo(999);
        assertThat(one(dataSource, "SELECT string_agg(line_number || ':' || (reasons->0->>'rule'), ',' ORDER BY line_number) "
                + "FROM quarantine.rejected_row WHERE batch_id = '" + batchId + "'")).isEqualTo("1000:range,1001:malformed");
        assertThat(one(dataSource, "SELECT count(DISTINCT s.batch_seq) = 1 AND min(s.batch_seq) = min(b.batch_seq) "
                + "FROM staging.order_items s, pipeline.batch b WHERE s.order_id = 'o-direct' AND b.batch_id = '" + batchId + "'"))
                .isEqualTo("t");
    }

    @Test
    void shouldStillMergeWhenAKeyBeyondTheFirstRowsExists() throws Exception {
        // the first 1000 rows (the probe) are new; a later one exists: the direct COPY fails, the merge takes over
        authorized().contentType(NDJSON).body(item("o-late-b", 300, 1, "2.00")).post("/api/v1/batches/order_items")
                .then().statusCode(201);
        authorized().contentType(NDJSON).body(lines("o-late-a", 1, 1000, 9) + lines("o-late-b", 1, 500, 9))
                .post("/api/v1/batches/order_items").then().statusCode(201).body("loaded", equalTo(1500));
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id IN ('o-late-a', 'o-late-b') "
                + "AND quantity = 9")).isEqualTo(1500);
    }

    @Test
    void shouldStillDeduplicateWhenAKeyRepeatsBeyondTheFirstRows() throws Exception {
        authorized().contentType(NDJSON).body(lines("o-rep-a", 1, 1000, 1) + lines("o-rep-b", 1, 10, 1)
                        + item("o-rep-b", 5, 7, "2.00") + "\n")
                .post("/api/v1/batches/order_items").then().statusCode(201).body("loaded", equalTo(1011));
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id IN ('o-rep-a', 'o-rep-b')")).isEqualTo(1010);
        assertThat(count(dataSource, "SELECT quantity FROM staging.order_items WHERE order_id = 'o-rep-b' AND line_number = 5")).isEqualTo(7);
    }
}
