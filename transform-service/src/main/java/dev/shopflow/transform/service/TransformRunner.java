package dev.shopflow.transform.service;

import dev.shopflow.common.db.SqlStates;
import dev.shopflow.common.metrics.LastSuccess;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.trace.RunSpans;
import dev.shopflow.common.wire.RunStatus;
import dev.shopflow.common.wire.TransformRunRequest;
import dev.shopflow.transform.client.QualityAuditor;
import dev.shopflow.transform.config.TransformConfig;
import dev.shopflow.transform.domain.TransformRun;
import dev.shopflow.transform.domain.TransformRun.Step;
import dev.shopflow.transform.persistence.BatchClaims;
import dev.shopflow.transform.persistence.RunLock;
import dev.shopflow.transform.persistence.WarehouseBuilder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs transforms one at a time across all replicas: a run holds a PostgreSQL session advisory
 * lock on its own connection from start to end, so a second request gets 409 with the running id.
 * Steps, in one transaction: claim batches, scope (what they changed, or everything), dimensions,
 * facts, a new mart version beside the published one; then audit it through quality and publish
 * (one insert) or discard it.
 */
@ApplicationScoped
public class TransformRunner {

    private static final Logger LOG = Logger.getLogger(TransformRunner.class);

    private final DataSource dataSource;
    private final TransformRuns runs;
    private final WarehouseBuilder warehouse;
    private final BatchClaims claims;
    private final QualityAuditor auditor;
    private final TransformMetrics metrics;
    private final LastSuccess lastSuccess;
    private final TransformConfig config;
    private final RunSpans spans;
    /**
     * One run at a time in this process (the advisory lock makes it one in the cluster). Managed
     * executors (SmallRye Context Propagation) run on Quarkus's worker threads; no request context
     * travels to a run, which outlives the request that started it (its trace does: RunSpans).
     */
    private final ManagedExecutor executor = ManagedExecutor.builder().maxAsync(1).propagated(ThreadContext.NONE).build();
    /** The second connection's half of a full build's marts (WarehouseBuilder#buildFullMartsInParallel). */
    private final ManagedExecutor martsExecutor = ManagedExecutor.builder().maxAsync(1).propagated(ThreadContext.NONE).build();

    TransformRunner(DataSource dataSource, TransformRuns runs, WarehouseBuilder warehouse, BatchClaims claims,
            QualityAuditor auditor, TransformMetrics metrics, LastSuccess lastSuccess, TransformConfig config,
            RunSpans spans) {
        this.spans = spans;
        this.dataSource = dataSource;
        this.runs = runs;
        this.warehouse = warehouse;
        this.claims = claims;
        this.auditor = auditor;
        this.metrics = metrics;
        this.lastSuccess = lastSuccess;
        this.config = config;
    }

    /**
     * Starts a run in the background, or answers 409 when one is running anywhere. After a failed run
     * an incremental request waits out the back-off (503 with Retry-After and the failure); a rebuild
     * starts at once: it is what an operator sends after repairing the data.
     */
    public long start(TransformRunRequest request) throws SQLException {
        if (request.rebuild() == null) {
            Optional<TransformRun.Backoff> backoff = runs.activeBackoff();
            if (backoff.isPresent()) {
                TransformRun.Backoff b = backoff.get();
                long seconds = Duration.between(java.time.Instant.now(), b.retryAfter()).toSeconds() + 1;
                Problem p = Problem.of(Response.Status.SERVICE_UNAVAILABLE, "transform-backing-off",
                        "Run " + b.runId() + " failed (" + b.consecutiveFailures() + " in a row); automatic runs wait until "
                                + b.retryAfter() + ". Its error: " + b.error())
                        .with(Map.of("failed_run_id", b.runId(), "retry_after", b.retryAfter().toString()));
                throw ProblemException.retryAfter(p, seconds);
            }
        }
        return tryStart(request).orElseThrow(() -> {
            Long running = null;
            try {
                running = runs.runningRunId().orElse(null);
            } catch (RuntimeException e) {
                LOG.debug("Could not read the running run id", e);
            }
            Problem p = Problem.of(Response.Status.CONFLICT, "run-in-progress",
                    "A transform run is already in progress" + (running == null ? "" : " (run " + running + ")"))
                    .with(Map.of("running_run_id", running == null ? "unknown" : running));
            return new ProblemException(p);
        });
    }

    /** A run by id, or a 404 problem (also for an id that is not a number). */
    public TransformRun run(String runId) {
        try {
            return runs.find(Long.parseLong(runId)).orElseThrow(() -> unknownRun(runId));
        } catch (NumberFormatException e) {
            throw unknownRun(runId);
        }
    }

    /** Runs newest first (status already validated: a wire name or null). */
    public List<TransformRun> runs(String status, Long before, int limit) {
        return runs.newest(status == null ? null : RunStatus.fromWireName(status).orElseThrow(), before, limit);
    }

    private static ProblemException unknownRun(String runId) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-run", "No transform run " + runId));
    }

    /** The sweep's and the chained runs' way in: an incremental run unless one runs or the back-off holds. */
    public Optional<Long> tryStartAutomatic() throws SQLException {
        if (runs.activeBackoff().isPresent()) {
            return Optional.empty();
        }
        return tryStart(TransformRunRequest.incremental());
    }

    /** Starts a run if no run holds the lock; empty when one does. */
    public Optional<Long> tryStart(TransformRunRequest request) throws SQLException {
        Connection lock = dataSource.getConnection();
        boolean locked = false;
        try {
            if (!RunLock.tryLock(lock)) {
                lock.close();
                return Optional.empty();
            }
            locked = true;
            long runId = runs.start(request.rebuild() == null ? "incremental" : "rebuild");
            executor.submit(spans.inSpan("transform run " + runId, () -> execute(runId, lock, request)));
            return Optional.of(runId);
        } catch (SQLException | RuntimeException e) {
            if (locked) {
                RunLock.release(lock);
            }
            lock.close();
            throw e;
        }
    }

    private void execute(long runId, Connection lock, TransformRunRequest request) {
        MDC.put("transform_run_id", Long.toString(runId));
        String status = RunStatus.FAILED.wireName();
        boolean moreWork = false;
        List<String> claimed = new ArrayList<>();
        try (lock) {
            try {
                status = steps(runId, request, claimed);
                moreWork = claims.hasLoadedBatches(lock);
            } catch (RequestRefused e) {
                // the request's own parameters, not the data: nothing for automatic runs to wait out
                String error = "the request's rebuild range could not be applied: " + describeCause(e.getCause())
                        + "; automatic runs are not held back";
                LOG.errorf(e.getCause(), "Transform run failed: %s", error);
                try {
                    runs.failOwnRequest(runId, error);
                } catch (RuntimeException inner) {
                    LOG.error("Could not record the failure of the run", inner);
                }
            } catch (Exception e) {
                // recorded while the lock is still held, so no run starts before the back-off is set
                String error = describeFailure(e, claimed);
                LOG.errorf(e, "Transform run failed: %s", error);
                try {
                    metrics.consecutiveFailures(runs.fail(runId, error, config.failureBackoff(), config.failureBackoffMax()));
                } catch (RuntimeException inner) {
                    LOG.error("Could not record the failure of the run", inner);
                }
            } finally {
                RunLock.release(lock);
            }
        } catch (SQLException e) {
            LOG.warn("Could not close the run lock's connection", e);
        } finally {
            metrics.run(status);
            MDC.remove("transform_run_id");
        }
        if (!RunStatus.FAILED.wireName().equals(status)) {
            metrics.consecutiveFailures(0);
        }
        if (moreWork) {
            try {
                tryStartAutomatic();
            } catch (SQLException e) {
                LOG.warn("Could not chain a run for batches loaded meanwhile; the sweep will", e);
            }
        }
    }

    /**
     * What an operator needs to act on a failed run: the database's reason, whether the same data
     * would fail again, and the batches the run was given (the data to look at).
     */
    static String describeFailure(Exception e, List<String> claimed) {
        StringBuilder out = new StringBuilder(describeCause(e));
        out.append(SqlStates.isTransient(e) ? "; transient: the next run retries it"
                : "; it fails the same way on the same data: automatic runs back off");
        if (!claimed.isEmpty()) {
            out.append("; batches in the run: ")
                    .append(String.join(", ", claimed.subList(0, Math.min(10, claimed.size()))));
            if (claimed.size() > 10) {
                out.append(" and ").append(claimed.size() - 10).append(" more");
            }
        }
        return out.toString();
    }

    /** The database's reason and SQLSTATE, one line. */
    private static String describeCause(Throwable e) {
        String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
        return reason + SqlStates.state(e).map(s -> " (SQLSTATE " + s + ")").orElse("");
    }

    /** A failure caused by what the request asked (its rebuild range), not by the data. */
    static final class RequestRefused extends RuntimeException {
        RequestRefused(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private String steps(long runId, TransformRunRequest request, List<String> claimed) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            warehouse.createCoreViews(c);
            // one snapshot for the claim and everything read from staging, so batches loaded meanwhile
            // are neither half-seen nor claimed unseen; one transaction, so a crash leaves nothing
            long version = -1;
            int batches = 0;
            boolean full = false;
            for (int attempt = 1;; attempt++) {
                claimed.clear();
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    long ts = System.nanoTime();
                    claimed.addAll(claims.claim(c, runId));
                    List<Long> unsettled = warehouse.discardUnsettled(c);
                    if (!unsettled.isEmpty()) {
                        LOG.warnf("Discarded mart versions %s: built by a run that stopped before publishing or discarding them",
                                unsettled);
                    }
                    batches = claimed.size();
                    WarehouseBuilder.Scope scope = scope(c, runId, request);
                    full = scope.full();
                    long orders = applyScope(c, runId, scope);
                    step(runId, scope.full() ? "scope_full" : "scope", ts, orders);

                    timed(runId, "dimensions", () -> warehouse.buildDimensions(c));
                    timed(runId, "facts", () -> warehouse.buildFacts(c, runId, scope));
                    claims.markTransformed(c, runId);

                    version = warehouse.nextVersion(c, runId);
                    if (!full) {
                        long built = version;
                        timed(runId, "marts", () -> warehouse.buildIncrementalMarts(c, built));
                    }
                    c.commit();
                    break;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    // a serialization failure or deadlock (40001, 40P01): the snapshot met a concurrent write
                    // (a claim racing a ledger update); the same transaction on a new snapshot succeeds
                    if (attempt < SERIALIZATION_ATTEMPTS && SqlStates.state(e).filter(s -> s.startsWith("40")).isPresent()) {
                        LOG.warnf("Build transaction attempt %d met %s; retrying", attempt, SqlStates.state(e).get());
                        step(runId, "retry_" + SqlStates.state(e).get(), System.nanoTime(), attempt);
                        sleepBeforeRetry(attempt);
                        continue;
                    }
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
            }
            if (full) {
                // every key of every mart, in two halves on two connections at once (docs/transform.md, Benchmark)
                long built = version;
                try (Connection second = dataSource.getConnection()) {
                    timed(runId, "marts", () -> warehouse.buildFullMartsInParallel(c, second, built, martsExecutor));
                }
            }
            runs.built(runId, batches, version);

            long ta = System.nanoTime();
            QualityAuditor.AuditOutcome audit = auditor.audit(version);
            step(runId, "audit", ta, audit.runs().stream().mapToLong(r -> r.results().size()).sum());

            long tp = System.nanoTime();
            if (audit.passed()) {
                runs.publish(runId, version, audit, config.versionsKept());
                step(runId, "publish", tp, 1);
                metrics.published(version);
                lastSuccess.mark("transform");
                lastSuccess.mark("publish");
                LOG.infof("Published mart version %d (%d batches)", version, batches);
                return RunStatus.SUCCEEDED.wireName();
            }
            runs.discard(runId, version, audit);
            lastSuccess.mark("transform");
            LOG.warnf("Version %d not published: %s", version, audit.reason());
            return RunStatus.AUDIT_FAILED.wireName();
        }
    }

    /**
     * Applies the run's scope; a rebuild range that PostgreSQL refuses as a value (SQLSTATE class 22: a
     * date it cannot hold) is the request's fault, reported as {@link RequestRefused}.
     */
    private long applyScope(Connection c, long runId, WarehouseBuilder.Scope scope) throws SQLException {
        try {
            return warehouse.scope(c, runId, scope);
        } catch (SQLException e) {
            if (scope.rebuildFrom() != null && SqlStates.state(e).filter(s -> s.startsWith("22")).isPresent()) {
                throw new RequestRefused(e);
            }
            throw e;
        }
    }

    /** Attempts of the build transaction when it meets a serialization failure or deadlock (SQLSTATE class 40). */
    static final int SERIALIZATION_ATTEMPTS = 3;

    private static void sleepBeforeRetry(int attempt) {
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before retrying the build", e);
        }
    }

    /**
     * A rebuild without dates, the first build, and a run whose batches bring most of the order lines
     * are full; a rebuild range adds its orders to the batches'.
     */
    private WarehouseBuilder.Scope scope(Connection c, long runId, TransformRunRequest request) throws SQLException {
        TransformRunRequest.Range range = request.rebuild();
        if ((range != null && range.from() == null) || warehouse.needsFullBuild(c) || claims.claimsMostOrderLines(c, runId)) {
            return WarehouseBuilder.Scope.everything();
        }
        return range == null ? WarehouseBuilder.Scope.incremental()
                : new WarehouseBuilder.Scope(false, range.from(), range.to() == null ? range.from() : range.to());
    }

    private interface StepWork {
        /** @return the step's row count */
        long run() throws SQLException;
    }

    /** Runs a step and records its duration and row count (metrics and the run's steps). */
    private long timed(long runId, String name, StepWork work) throws SQLException {
        long start = System.nanoTime();
        long rows = work.run();
        step(runId, name, start, rows);
        return rows;
    }

    private void step(long runId, String name, long startNanos, long rows) throws SQLException {
        Duration d = Duration.ofNanos(System.nanoTime() - startNanos);
        metrics.step(name, d);
        runs.addStep(runId, new Step(name, d.toMillis(), rows));
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        martsExecutor.shutdown();
    }
}
