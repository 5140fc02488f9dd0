package dev.shopflow.transform.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.wire.RunStatus;
import dev.shopflow.transform.client.QualityAuditor.AuditOutcome;
import dev.shopflow.transform.domain.TransformRun;
import dev.shopflow.transform.domain.TransformRun.Backoff;
import dev.shopflow.transform.domain.TransformRun.Step;
import dev.shopflow.transform.persistence.BatchClaims;
import dev.shopflow.transform.persistence.PublishedVersionEntity;
import dev.shopflow.transform.persistence.PublishedVersionRepository;
import dev.shopflow.transform.persistence.TransformRunEntity;
import dev.shopflow.transform.persistence.TransformRunRepository;
import dev.shopflow.transform.persistence.WarehouseBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A transform run's row from start to end, each change its own short transaction, except the end of a
 * run that built a version: publishing it is a published_version row (Hibernate) and JDBC work of
 * WarehouseBuilder (the ledger, the marts' pruning), discarding it is JDBC work, ending the run is a
 * Hibernate change, and all of it commits together. Inside the JTA transaction Agroal
 * hands Hibernate and {@link DataSource#getConnection()} the same enlisted connection, so there is one
 * PostgreSQL transaction (TransformRunsTests shows a failure in either part undoing both).
 */
@ApplicationScoped
public class TransformRuns {

    private final TransformRunRepository repository;
    private final PublishedVersionRepository publishedVersions;
    private final WarehouseBuilder warehouse;
    private final BatchClaims claims;
    private final DataSource dataSource;
    private final ObjectMapper mapper;

    TransformRuns(TransformRunRepository repository, PublishedVersionRepository publishedVersions,
            WarehouseBuilder warehouse, BatchClaims claims, DataSource dataSource, ObjectMapper mapper) {
        this.repository = repository;
        this.publishedVersions = publishedVersions;
        this.warehouse = warehouse;
        this.claims = claims;
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** Records a new running run; called with the run lock held, so any other running row was abandoned. */
    @Transactional
    public long start(String kind) {
        Instant now = Instant.now();
        repository.failAbandoned(now);
        TransformRunEntity run = new TransformRunEntity();
        run.kind = kind;
        run.status = RunStatus.RUNNING;
        run.startedAt = now;
        repository.persist(run);
        return run.runId;
    }

    /** The version readers are served (the highest published one), 0 before the first publish. */
    @Transactional
    public long servedVersion() {
        return publishedVersions.served().map(v -> v.version).orElse(0L);
    }

    @Transactional
    public void addStep(long runId, Step step) {
        TransformRunEntity run = repository.findByIdOptional(runId).orElseThrow();
        List<Step> steps = new ArrayList<>(run.steps);
        steps.add(step);
        run.steps = steps;
    }

    @Transactional
    public void built(long runId, int batches, long builtVersion) {
        TransformRunEntity run = repository.findByIdOptional(runId).orElseThrow();
        run.batches = batches;
        run.builtVersion = builtVersion;
    }

    /** Publishes the built version and ends the run as succeeded, in one transaction. */
    @Transactional(rollbackOn = Exception.class)
    public void publish(long runId, long version, AuditOutcome audit, int versionsKept) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Instant watermark = claims.watermark(c, runId).orElse(null);
            // flushed now: the JDBC work after it counts the published versions to prune the old ones
            publishedVersions.persistAndFlush(PublishedVersionEntity.of(version, runId, Instant.now(), watermark));
            warehouse.publish(c, version, runId, versionsKept);
        }
        end(runId, RunStatus.SUCCEEDED, version, audit, null);
    }

    /** Discards a version its audit refused and ends the run as audit_failed, in one transaction. */
    @Transactional(rollbackOn = Exception.class)
    public void discard(long runId, long version, AuditOutcome audit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            warehouse.discard(c, version, runId);
        }
        end(runId, RunStatus.AUDIT_FAILED, null, audit, audit.reason());
    }

    private void end(long runId, RunStatus status, Long publishedVersion, AuditOutcome audit, String error) {
        TransformRunEntity run = repository.findByIdOptional(runId).orElseThrow();
        run.status = status;
        run.finishedAt = Instant.now();
        run.publishedVersion = publishedVersion;
        run.audit = mapper.valueToTree(audit);
        run.error = error;
        // the end is one statement with the JDBC work, not a flush at commit after it
        repository.flush();
    }

    /**
     * Ends a run as failed, counting the failures in a row (an abandoned run counts as one) and setting
     * when automatic runs may start again: {@code initial} doubled per earlier failure in a row, at most
     * {@code max}. Called with the run lock held, so no run starts before the back-off is set.
     *
     * @return the failures in a row, this one included
     */
    @Transactional
    public int fail(long runId, String error, Duration initial, Duration max) {
        int before = repository.lastFinishedBefore(runId).map(TransformRuns::failuresInARow).orElse(0);
        Instant now = Instant.now();
        TransformRunEntity run = repository.findByIdOptional(runId).orElseThrow();
        run.status = RunStatus.FAILED;
        run.finishedAt = now;
        run.error = error;
        run.consecutiveFailures = before + 1;
        Duration wait = initial.multipliedBy(1L << Math.min(before, 30));
        run.retryAfter = now.plus(wait.compareTo(max) > 0 ? max : wait);
        return run.consecutiveFailures;
    }

    /**
     * Ends a run as failed because of its own request's parameters: it holds no automatic run back (no
     * retry-after) and carries the failures in a row of the runs before it unchanged.
     */
    @Transactional
    public void failOwnRequest(long runId, String error) {
        int before = repository.lastFinishedBefore(runId).map(TransformRuns::failuresInARow).orElse(0);
        TransformRunEntity run = repository.findByIdOptional(runId).orElseThrow();
        run.status = RunStatus.FAILED;
        run.finishedAt = Instant.now();
        run.error = error;
        run.consecutiveFailures = before;
        run.retryAfter = null;
    }

    /** Present while the last finished run failed and its back-off has not run out. */
    @Transactional
    public Optional<Backoff> activeBackoff() {
        Instant now = Instant.now();
        return repository.lastFinished()
                .filter(r -> r.status == RunStatus.FAILED && r.retryAfter != null && r.retryAfter.isAfter(now))
                .map(r -> new Backoff(r.runId, failuresInARow(r), r.retryAfter, r.error));
    }

    /** Failed runs in a row up to the last finished run (0 when it did not fail). */
    @Transactional
    public int consecutiveFailures() {
        return repository.lastFinished().map(TransformRuns::failuresInARow).orElse(0);
    }

    @Transactional
    public Optional<Long> runningRunId() {
        return repository.newestRunning().map(r -> r.runId);
    }

    @Transactional
    public Optional<TransformRun> find(long runId) {
        return repository.findByIdOptional(runId).map(TransformRuns::view);
    }

    /** Runs newest first, of one status (null: any), below run id {@code before} (null: from the newest). */
    @Transactional
    public List<TransformRun> newest(RunStatus status, Long before, int limit) {
        dev.shopflow.common.db.QueryFilters filters = new dev.shopflow.common.db.QueryFilters().equal("status", status)
                .below("runId", before);
        return repository.find(filters.query(), io.quarkus.panache.common.Sort.descending("runId"), filters.parameters())
                .page(io.quarkus.panache.common.Page.ofSize(limit)).list().stream().map(TransformRuns::view).toList();
    }

    private static TransformRun view(TransformRunEntity r) {
        return new TransformRun(r.runId, r.kind, r.status.wireName(), r.startedAt, r.finishedAt, r.batches, r.builtVersion,
                r.publishedVersion, r.audit, List.copyOf(r.steps), r.error, r.consecutiveFailures, r.retryAfter);
    }

    /** An abandoned run (failed before the count existed, or by failAbandoned) counts as one. */
    private static int failuresInARow(TransformRunEntity run) {
        return run.status != RunStatus.FAILED ? 0 : run.consecutiveFailures == null ? 1 : run.consecutiveFailures;
    }
}
