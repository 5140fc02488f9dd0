package dev.shopflow.transform.service;

import static dev.shopflow.common.testing.Sql.sql;
import static dev.shopflow.common.testing.Sql.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.common.wire.TransformRunRequest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's outcomes with quality's answers scripted over HTTP (ScriptedQuality): a passed audit
 * publishes, a failed one discards the version and keeps the published one, and batches loaded during
 * a run are taken by a chained run without waiting for the sweep (off in tests).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service"))
@WithTestResource(value = ScriptedQuality.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TransformRunnerTests {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TransformRunner runner;

    @Inject
    TransformRuns runs;

    @BeforeEach
    void reset() {
        ScriptedQuality.OUTCOME.set("passed");
        ScriptedQuality.onAudit.set(() -> { });
    }

    /** A loaded batch with one paid order of {@code quantity} x 10.00 on 2025-04-0{day}. */
    void loadOrder(String orderId, int day, int quantity) throws Exception {
        // staging rows carry the ledger's batch_seq of the batch that wrote them: that is how a run finds them
        long seq = ((Number) value(dataSource, "INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, status, received, "
                + "loaded, quarantined, unknown_fields, content_type, body_bytes, received_at, loaded_at) VALUES "
                + "(gen_random_uuid(), 'orders', 'runner-" + orderId + "', 'loaded', 1, 1, 0, 0, 'application/x-ndjson', 10, "
                + "now(), now()) RETURNING batch_seq")).longValue();
        sql(dataSource, "INSERT INTO staging.orders (order_id, customer_id, order_ts, status, channel, updated_at, batch_seq) "
                        + "VALUES ('" + orderId + "', 'c-runner', '2025-04-0" + day + "T10:00:00Z', 'paid', 'web', now(), " + seq + ")",
                "INSERT INTO staging.order_items (order_id, line_number, product_id, quantity, unit_price, discount, batch_seq) "
                        + "VALUES ('" + orderId + "', 1, 'p1', " + quantity + ", 10.00, 0, " + seq + ")");
    }

    /** Starts a run; the previous one may still hold the lock for a moment after its status is final. */
    long start(TransformRunRequest request) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            try {
                return runner.start(request);
            } catch (ProblemException e) {
                if (e.problem().status() != 409 || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    long awaitEnd(long runId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!"running".equals(value(dataSource, "SELECT status FROM pipeline.transform_run WHERE run_id = " + runId))) {
                return runId;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " still running");
    }

    long publishedVersion() throws Exception {
        Object v = value(dataSource, "SELECT max(version) FROM pipeline.published_version");
        return v == null ? 0 : ((Number) v).longValue();
    }

    BigDecimal servedRevenue(int day) throws Exception {
        return (BigDecimal) value(dataSource, "SELECT coalesce(sum(revenue), 0) FROM marts.mart_daily_sales m, "
                + "(SELECT max(version) AS v FROM pipeline.published_version) p WHERE m.order_date = '2025-04-0" + day + "' "
                + "AND m.version_from <= p.v AND m.version_to > p.v");
    }

    @Test
    void aPassedAuditPublishesAndAFailedOneDiscardsTheVersionAndKeepsThePublishedOne() throws Exception {
        loadOrder("runner-o1", 1, 2);
        long first = awaitEnd(start(TransformRunRequest.incremental()));
        assertThat(value(dataSource, "SELECT status FROM pipeline.transform_run WHERE run_id = " + first)).isEqualTo("succeeded");
        long published = publishedVersion();
        assertThat(published).isPositive();
        assertThat(value(dataSource, "SELECT status FROM pipeline.batch WHERE idempotency_key = 'runner-runner-o1'")).isEqualTo("published");
        assertThat(servedRevenue(1)).isEqualByComparingTo("20.00");

        ScriptedQuality.OUTCOME.set("failed");
        loadOrder("runner-o2", 1, 5);
        long second = awaitEnd(start(TransformRunRequest.incremental()));
        assertThat(value(dataSource, "SELECT status FROM pipeline.transform_run WHERE run_id = " + second)).isEqualTo("audit_failed");
        assertThat((String) value(dataSource, "SELECT error FROM pipeline.transform_run WHERE run_id = " + second))
                .contains("scripted_");
        assertThat(publishedVersion()).as("the published version stands").isEqualTo(published);
        assertThat(servedRevenue(1)).as("readers still see the published figures").isEqualByComparingTo("20.00");
        assertThat(value(dataSource, "SELECT status FROM pipeline.batch WHERE idempotency_key = 'runner-runner-o2'"))
                .isEqualTo("audit_failed");
        assertThat(value(dataSource, "SELECT count(*) FROM marts.mart_daily_sales WHERE version_from > " + published))
                .as("the refused version's rows are gone").isEqualTo(0L);

        // the repaired audit: a rebuild publishes the refused batch too
        ScriptedQuality.OUTCOME.set("passed");
        awaitEnd(start(new TransformRunRequest(new TransformRunRequest.Range(null, null))));
        assertThat(servedRevenue(1)).isEqualByComparingTo("70.00");
    }

    @Test
    void aBatchLoadedDuringARunIsTakenByAChainedRun() throws Exception {
        loadOrder("runner-o3", 2, 1);
        AtomicBoolean loadedDuringAudit = new AtomicBoolean();
        ScriptedQuality.onAudit.set(() -> {
            if (loadedDuringAudit.compareAndSet(false, true)) {
                try {
                    loadOrder("runner-o4", 3, 4);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        long first = awaitEnd(start(TransformRunRequest.incremental()));
        assertThat(value(dataSource, "SELECT status FROM pipeline.transform_run WHERE run_id = " + first)).isEqualTo("succeeded");
        // the chained run (no sweep in tests) starts on its own and publishes the batch that came meanwhile
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!"published".equals(value(dataSource, "SELECT status FROM pipeline.batch WHERE idempotency_key = 'runner-runner-o4'"))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(value(dataSource, "SELECT status FROM pipeline.batch WHERE idempotency_key = 'runner-runner-o4'")).isEqualTo("published");
        assertThat(value(dataSource, "SELECT count(*) FROM pipeline.transform_run WHERE run_id > " + first)).isEqualTo(1L);
        assertThat(servedRevenue(3)).isEqualByComparingTo("40.00");
    }

    @Test
    void anErrorCheckThatCouldNotRunBlocksThePublishAndSaysWhichAndWhy() throws Exception {
        loadOrder("runner-o5", 4, 1);
        awaitEnd(start(TransformRunRequest.incremental()));
        long published = publishedVersion();
        BigDecimal before = servedRevenue(4);

        ScriptedQuality.OUTCOME.set("error");
        loadOrder("runner-o6", 4, 3);
        long run = awaitEnd(start(TransformRunRequest.incremental()));
        assertThat(value(dataSource, "SELECT status FROM pipeline.transform_run WHERE run_id = " + run)).isEqualTo("audit_failed");
        assertThat((String) value(dataSource, "SELECT error FROM pipeline.transform_run WHERE run_id = " + run))
                .contains("could not run").contains("scripted_warehouse").contains("no_such_table");
        assertThat(publishedVersion()).as("a check that could not run proves nothing: nothing is published").isEqualTo(published);
        assertThat(servedRevenue(4)).isEqualByComparingTo(before);
        ScriptedQuality.OUTCOME.set("passed");
        awaitEnd(start(new TransformRunRequest(new TransformRunRequest.Range(null, null))));
    }

    @Test
    void anAuditThatTimesOutMidwayBlocksThePublish() throws Exception {
        loadOrder("runner-o7", 5, 1);
        awaitEnd(start(TransformRunRequest.incremental()));
        long published = publishedVersion();

        ScriptedQuality.OUTCOME.set("hang");
        loadOrder("runner-o8", 5, 2);
        long run = awaitEnd(start(TransformRunRequest.incremental()));
        assertThat(value(dataSource, "SELECT status FROM pipeline.transform_run WHERE run_id = " + run)).isEqualTo("audit_failed");
        assertThat((String) value(dataSource, "SELECT error FROM pipeline.transform_run WHERE run_id = " + run))
                .startsWith("audit unavailable");
        assertThat(publishedVersion()).isEqualTo(published);
        ScriptedQuality.OUTCOME.set("passed");
        awaitEnd(start(new TransformRunRequest(new TransformRunRequest.Range(null, null))));
    }

    @Test
    void aRunThatFailsOnItsOwnRebuildRangeDoesNotHoldBackAutomaticRuns() throws Exception {
        // the API refuses such a range (400); a caller past it still must not stall publishing
        java.time.LocalDate far = java.time.LocalDate.of(999_999_999, 1, 1);
        long run = awaitEnd(start(new TransformRunRequest(new TransformRunRequest.Range(far, far.plusDays(30)))));
        assertThat(value(dataSource, "SELECT status FROM pipeline.transform_run WHERE run_id = " + run)).isEqualTo("failed");
        assertThat((String) value(dataSource, "SELECT error FROM pipeline.transform_run WHERE run_id = " + run))
                .contains("rebuild range").contains("not held back");
        assertThat(value(dataSource, "SELECT retry_after FROM pipeline.transform_run WHERE run_id = " + run)).isNull();
        assertThat(runs.activeBackoff()).as("no back-off").isEmpty();
        loadOrder("runner-o9", 6, 1);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        java.util.Optional<Long> automatic = runner.tryStartAutomatic();
        while (automatic.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100); // the failed run may hold the lock a moment longer
            automatic = runner.tryStartAutomatic();
        }
        assertThat(automatic).as("the sweep's way in starts a run at once").isPresent();
        awaitEnd(automatic.get());
        assertThat(value(dataSource, "SELECT status FROM pipeline.batch WHERE idempotency_key = 'runner-runner-o9'")).isEqualTo("published");
    }
}
