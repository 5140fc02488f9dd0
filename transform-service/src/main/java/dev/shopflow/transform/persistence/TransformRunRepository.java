package dev.shopflow.transform.persistence;

import dev.shopflow.common.wire.RunStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** {@code pipeline.transform_run}: runs by id and the questions the runner asks of the latest ones. */
@ApplicationScoped
public class TransformRunRepository implements PanacheRepositoryBase<TransformRunEntity, Long> {

    /** The newest run that has ended, if any. */
    public Optional<TransformRunEntity> lastFinished() {
        return find("status <> ?1", Sort.descending("runId"), RunStatus.RUNNING).firstResultOptional();
    }

    /** The newest run that ended before {@code runId}. */
    public Optional<TransformRunEntity> lastFinishedBefore(long runId) {
        return find("runId < ?1 and status <> ?2", Sort.descending("runId"), runId, RunStatus.RUNNING)
                .firstResultOptional();
    }

    public Optional<TransformRunEntity> newestRunning() {
        return find("status", Sort.descending("runId"), RunStatus.RUNNING).firstResultOptional();
    }

    /** Runs left 'running' by a process that died can never finish: called when the run lock is ours. */
    public int failAbandoned(Instant now) {
        return update("status = ?1, finishedAt = ?2, error = ?3 where status = ?4", RunStatus.FAILED, now,
                "abandoned: the process running it stopped", RunStatus.RUNNING);
    }
}
