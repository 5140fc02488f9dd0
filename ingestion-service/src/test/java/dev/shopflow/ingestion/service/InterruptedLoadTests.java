package dev.shopflow.ingestion.service;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static dev.shopflow.ingestion.Fixtures.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A load that dies half-way leaves nothing behind, and its retry loads it exactly once. The load's
 * database session is killed while it is inside its transaction (what PostgreSQL sees when the
 * ingestion process is killed), and a client that hangs up mid-body is cut off before anything is written.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class InterruptedLoadTests {

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource
    URL baseUrl;

    @Test
    void shouldLeaveNothingHalfLoadedWhenTheLoadIsKilledMidTransactionAndLoadOnceOnRetry() throws Exception {
        // an existing line the test keeps locked, so the load blocks inside its transaction,
        // after the ledger entry, the COPY and the quarantine insert, at the merge into staging
        authorized().contentType("application/x-ndjson").body(item("o-kill", 1, 1, "1.00"))
                .post("/api/v1/batches/order_items").then().statusCode(201);
        StringBuilder body = new StringBuilder();
        for (int line = 1; line <= 500; line++) {
            body.append(item("o-kill", line, 2, "3.00")).append('\n');
        }
        body.append("not json\n");
        long ledgerBefore = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        long quarantineBefore = count(dataSource, "SELECT count(*) FROM quarantine.rejected_row");

        Response interrupted;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.execute("SELECT 1 FROM staging.order_items WHERE order_id = 'o-kill' FOR UPDATE");
            }
            CompletableFuture<Response> load = CompletableFuture.supplyAsync(() -> authorized()
                    .contentType("application/x-ndjson").header("Idempotency-Key", "kill-me").body(body.toString())
                    .post("/api/v1/batches/order_items"));
            int pid = awaitBlockedLoad();
            // mid-transaction, nothing of the batch is visible to anyone else
            assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(ledgerBefore);
            assertThat(count(dataSource, "SELECT count(*) FROM quarantine.rejected_row")).isEqualTo(quarantineBefore);
            try (Statement st = blocker.createStatement()) {
                st.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            interrupted = load.get();
            blocker.rollback();
        }
        assertThat(interrupted.statusCode()).isEqualTo(503);
        assertThat(interrupted.contentType()).startsWith("application/problem+json");
        assertThat(interrupted.header("Retry-After")).isNotNull();
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(ledgerBefore);
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key = 'kill-me'")).isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM quarantine.rejected_row")).isEqualTo(quarantineBefore);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id = 'o-kill'")).isEqualTo(1);
        assertThat(count(dataSource, "SELECT max(quantity) FROM staging.order_items WHERE order_id = 'o-kill'")).isEqualTo(1);

        // the client retries with the same key: loaded once, and a second retry changes nothing
        String batchId = authorized().contentType("application/x-ndjson").header("Idempotency-Key", "kill-me")
                .body(body.toString()).post("/api/v1/batches/order_items")
                .then().statusCode(201).body("received", equalTo(501)).body("loaded", equalTo(500))
                .body("quarantined", equalTo(1)).extract().path("batch_id");
        authorized().contentType("application/x-ndjson").header("Idempotency-Key", "kill-me")
                .body(body.toString()).post("/api/v1/batches/order_items")
                .then().statusCode(200).body("batch_id", equalTo(batchId));
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id = 'o-kill'")).isEqualTo(500);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id = 'o-kill' AND quantity = 2")).isEqualTo(500);
        assertThat(count(dataSource, "SELECT count(*) FROM quarantine.rejected_row WHERE batch_id = '" + batchId + "'")).isEqualTo(1);
        assertThat(count(dataSource, "SELECT count(*) FROM raw.batch_body WHERE batch_id = '" + batchId + "'")).isEqualTo(1);
    }

    /** The backend of the load, once it waits on the test's row lock. */
    private int awaitBlockedLoad() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            + "AND query LIKE 'MERGE INTO staging.order_items%'")) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the load never reached the merge into staging");
    }

    @Test
    void shouldKeepNothingWhenTheClientHangsUpMidBody() throws Exception {
        long before = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        byte[] part = (item("o-hangup", 1, 1, "1.00") + "\n").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(baseUrl.getHost(), baseUrl.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/batches/order_items HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Basic c2hvcGZsb3c6c2hvcGZsb3ctZGV2\r\n"
                    + "Content-Type: application/x-ndjson\r\nContent-Length: 1000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.flush();
            Thread.sleep(300);
        }
        Thread.sleep(500);
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(before);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id = 'o-hangup'")).isZero();
        // and the service is still fine
        authorized().contentType("application/x-ndjson").body(item("o-hangup", 1, 1, "1.00"))
                .post("/api/v1/batches/order_items").then().statusCode(201);
    }
}
