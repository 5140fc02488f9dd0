package dev.shopflow.quality.service;

import dev.shopflow.common.wire.Audit;
import dev.shopflow.quality.domain.StoredResult;
import dev.shopflow.quality.persistence.CheckResultEntity;
import dev.shopflow.quality.persistence.CheckResultRepository;
import dev.shopflow.quality.persistence.CheckRunEntity;
import dev.shopflow.quality.persistence.CheckRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stored check runs and results: a run is saved with all its results in one transaction, or not at all. */
@ApplicationScoped
public class CheckHistory {

    /** More results than a layer has checks; a stored run is answered whole. */
    private static final int RESULTS_PER_RUN = 1000;

    private final CheckRunRepository runs;
    private final CheckResultRepository results;

    CheckHistory(CheckRunRepository runs, CheckResultRepository results) {
        this.runs = runs;
        this.results = results;
    }

    /** @return the new run's id */
    @Transactional
    public long save(String layer, Map<String, Object> scope, String status, Instant started,
            List<Audit.CheckResult> checked) {
        Instant now = Instant.now();
        CheckRunEntity run = new CheckRunEntity();
        run.layer = layer;
        run.scope = scope;
        run.status = status;
        run.startedAt = started;
        run.finishedAt = now;
        runs.persist(run);
        for (Audit.CheckResult r : checked) {
            CheckResultEntity result = new CheckResultEntity();
            result.runId = run.runId;
            result.checkName = r.check();
            result.layer = r.layer();
            result.severity = r.severity();
            result.status = r.status();
            result.failingRows = r.failingRows();
            result.sample = r.sample();
            result.scope = scope;
            result.checkedAt = now;
            results.persist(result);
        }
        return run.runId;
    }

    @Transactional
    public Optional<Audit.CheckRunResult> run(long runId) {
        return runs.findByIdOptional(runId).map(run -> {
            List<Audit.CheckResult> stored = results.history(null, null, runId, RESULTS_PER_RUN).stream()
                    .map(r -> new Audit.CheckResult(r.checkName, r.layer, r.severity, r.status, r.failingRows, r.sample))
                    .toList();
            boolean passed = stored.stream().noneMatch(Audit.CheckResult::blocksPublish);
            return new Audit.CheckRunResult(runId, run.layer, run.scope, run.status, passed, stored);
        });
    }

    /** Results newest first (null filters: any). */
    @Transactional
    public List<StoredResult> results(String status, String check, int limit) {
        return results.history(status, check, null, limit).stream()
                .map(r -> new StoredResult(r.resultId, r.runId, r.checkName, r.layer, r.severity, r.status, r.failingRows,
                        r.sample, r.scope, r.checkedAt))
                .toList();
    }
}
