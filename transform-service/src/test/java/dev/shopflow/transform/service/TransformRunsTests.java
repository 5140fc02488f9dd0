package dev.shopflow.transform.service;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.one;
import static dev.shopflow.common.testing.Sql.sql;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.transform.client.QualityAuditor.AuditOutcome;
import dev.shopflow.transform.domain.TransformRun.Step;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run rows kept with Panache, and the one place where they meet JDBC work: publishing a version and
 * ending its run commit together or not at all. A database of its own: versions published here must not
 * be seen by the runner's tests.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service"),
                @ResourceArg(name = "database-of", value = "TransformRunsTests")})
class TransformRunsTests {

    @Inject
    TransformRuns runs;

    @Inject
    AgroalDataSource db;

    @Inject
    EntityManager em;

    @Inject
    TransformMetrics metrics;

    @Inject
    TransformSweep sweep;

    static final AuditOutcome PASSED = new AuditOutcome(true, null, List.of());

    /** A batch of the ledger claimed by {@code runId} and built, waiting for the publish. */
    void claimedBatch(long runId, String key) throws Exception {
        sql(db, "INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, status, received, loaded, quarantined, "
                + "unknown_fields, content_type, body_bytes, received_at, loaded_at, transform_run_id) VALUES "
                + "(gen_random_uuid(), 'orders', '" + key + "', 'transformed', 1, 1, 0, 0, 'application/x-ndjson', 10, "
                + "now(), now(), " + runId + ")");
    }

    @Test
    void shouldUndoThePublishWhenEndingTheRunFailsInTheSameTransaction() throws Exception {
        long runId = runs.start("incremental");
        claimedBatch(runId, "runs-shared-" + runId);
        // the run row refuses to end: the Hibernate part fails after the JDBC part has written the version
        sql(db, "CREATE FUNCTION pipeline.refuse_end() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$",
                "CREATE TRIGGER refuse_end BEFORE UPDATE ON pipeline.transform_run FOR EACH ROW "
                        + "WHEN (NEW.run_id = " + runId + " AND NEW.status = 'succeeded') EXECUTE FUNCTION pipeline.refuse_end()");
        try {
            assertThatThrownBy(() -> runs.publish(runId, 9001, PASSED, 3)).hasStackTraceContaining("refused for the test");
        } finally {
            sql(db, "DROP TRIGGER refuse_end ON pipeline.transform_run", "DROP FUNCTION pipeline.refuse_end()");
        }
        assertThat(count(db, "SELECT count(*) FROM pipeline.published_version WHERE version = 9001")).isZero();
        assertThat(one(db, "SELECT status FROM pipeline.batch WHERE transform_run_id = " + runId)).isEqualTo("transformed");
        assertThat(one(db, "SELECT status FROM pipeline.transform_run WHERE run_id = " + runId)).isEqualTo("running");

        runs.publish(runId, 9001, PASSED, 3);
        assertThat(one(db, "SELECT run_id FROM pipeline.published_version WHERE version = 9001")).isEqualTo(Long.toString(runId));
        assertThat(one(db, "SELECT status || ' ' || published_version FROM pipeline.batch WHERE transform_run_id = " + runId))
                .isEqualTo("published 9001");
        assertThat(one(db, "SELECT status || ' ' || published_version || ' ' || (audit->>'passed') "
                + "FROM pipeline.transform_run WHERE run_id = " + runId)).isEqualTo("succeeded 9001 true");
    }

    @Test
    void shouldGiveHibernateAndJdbcTheSamePostgresqlTransaction() throws Exception {
        List<String> seen = QuarkusTransaction.requiringNew().call(() -> {
            String hibernate = em.createNativeQuery("SELECT pg_backend_pid() || '/' || txid_current()").getSingleResult().toString();
            try (Connection c = db.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_backend_pid() || '/' || txid_current()")) {
                rs.next();
                return List.of(hibernate, rs.getString(1));
            }
        });
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
    }

    @Test
    void shouldKeepTheRunUnendedWhenThePublishItselfFails() throws Exception {
        long first = runs.start("incremental");
        runs.publish(first, 9101, PASSED, 3);
        long second = runs.start("incremental");
        claimedBatch(second, "runs-dup-" + second);
        // the version is taken: the insert into published_version fails, so the run must not end as succeeded
        assertThatThrownBy(() -> runs.publish(second, 9101, PASSED, 3)).hasStackTraceContaining("published_version_pkey");
        assertThat(one(db, "SELECT status FROM pipeline.transform_run WHERE run_id = " + second)).isEqualTo("running");
        assertThat(one(db, "SELECT status FROM pipeline.batch WHERE transform_run_id = " + second)).isEqualTo("transformed");
        runs.fail(second, "test", java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
    }

    @Test
    void shouldCloseAbandonedRunsAndKeepStepsInTheApisJson() throws Exception {
        sql(db, "INSERT INTO pipeline.transform_run (kind, status, started_at) VALUES ('rebuild', 'running', now() - interval '1 hour')");
        long abandoned = Long.parseLong(one(db, "SELECT max(run_id) FROM pipeline.transform_run"));
        long runId = runs.start("incremental");
        assertThat(one(db, "SELECT status || ': ' || error FROM pipeline.transform_run WHERE run_id = " + abandoned))
                .isEqualTo("failed: abandoned: the process running it stopped");
        assertThat(runs.runningRunId()).contains(runId);

        runs.addStep(runId, new Step("facts", 12, 340));
        runs.addStep(runId, new Step("marts", 5, 7));
        runs.built(runId, 2, 9201);
        assertThat(one(db, "SELECT steps::text || ' ' || batches || ' ' || built_version FROM pipeline.transform_run "
                + "WHERE run_id = " + runId)).isEqualTo("[{\"rows\": 340, \"step\": \"facts\", \"duration_ms\": 12}, "
                        + "{\"rows\": 7, \"step\": \"marts\", \"duration_ms\": 5}] 2 9201");
        given().when().get("/api/v1/transform-runs/" + runId).then().statusCode(200)
                .body("status", equalTo("running")).body("steps[1].step", equalTo("marts"))
                .body("steps[0].duration_ms", equalTo(12)).body("built_version", equalTo(9201));
        runs.fail(runId, "test", java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
        assertThat(runs.runningRunId()).isEmpty();
    }

    @Test
    void shouldServeTheNewestPublishedVersionWithTheNewestBatchItIncludesAsItsWatermark() throws Exception {
        long first = runs.start("incremental");
        claimedBatch(first, "runs-watermark-a-" + first);
        sql(db, "UPDATE pipeline.batch SET received_at = '2100-01-02T10:00:00Z' WHERE transform_run_id = " + first);
        runs.publish(first, 9301, PASSED, 3);
        long second = runs.start("incremental");
        claimedBatch(second, "runs-watermark-b-" + second);
        sql(db, "UPDATE pipeline.batch SET received_at = '2100-01-01T10:00:00Z' WHERE transform_run_id = " + second);
        runs.publish(second, 9302, PASSED, 3);

        // dates far ahead of the other tests' batches; the second run's batch arrived earlier, and its
        // version still includes the first run's, published before
        assertThat(one(db, "SELECT run_id || ' ' || (watermark AT TIME ZONE 'UTC') FROM pipeline.published_version "
                + "WHERE version = 9302")).isEqualTo(second + " 2100-01-02 10:00:00");
        assertThat(runs.servedVersion()).isEqualTo(Long.parseLong(one(db, "SELECT max(version) FROM pipeline.published_version")));
    }

    @Test
    void shouldShowTheServedVersionInItsGaugeAfterASweepAsAReplicaThatDidNotPublishIt() throws Exception {
        long runId = runs.start("incremental");
        claimedBatch(runId, "runs-gauge-" + runId);
        runs.publish(runId, 9401, PASSED, 3);
        metrics.published(0); // as a replica that has just started, or did not run the publish

        sweep.sweep();

        // the bean, not /q/metrics: in a JVM that ran other test classes' apps first, the scrape can
        // still show the gauge an earlier app registered
        assertThat(metrics.published()).isEqualTo(Long.parseLong(one(db, "SELECT max(version) FROM pipeline.published_version")));
    }
}
