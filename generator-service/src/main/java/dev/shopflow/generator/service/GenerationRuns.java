package dev.shopflow.generator.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.wire.RunStatus;
import dev.shopflow.generator.domain.GenerationParams;
import dev.shopflow.generator.domain.GenerationRun;
import dev.shopflow.generator.persistence.GenerationRunEntity;
import dev.shopflow.generator.persistence.GenerationRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A generation run's row from queued to its end, one short transaction per change (the run itself is not one). */
@ApplicationScoped
public class GenerationRuns {

    private final GenerationRunRepository repository;
    private final ObjectMapper mapper;

    GenerationRuns(GenerationRunRepository repository, ObjectMapper mapper) {
        this.repository = repository;
        this.mapper = mapper;
    }

    @Transactional
    public void create(UUID runId, GenerationParams params, int daysTotal) {
        GenerationRunEntity run = new GenerationRunEntity();
        run.runId = runId;
        // the API's own JSON of the parameters (snake_case), kept as a tree
        run.params = mapper.valueToTree(params);
        run.status = RunStatus.QUEUED;
        run.daysTotal = daysTotal;
        run.createdAt = Instant.now();
        repository.persist(run);
    }

    @Transactional
    public void running(UUID runId) {
        repository.findByIdOptional(runId).orElseThrow().status = RunStatus.RUNNING;
    }

    @Transactional
    public void progress(UUID runId, int daysDone, Map<String, Long> rows, Map<String, Integer> defects) {
        GenerationRunEntity run = repository.findByIdOptional(runId).orElseThrow();
        run.daysDone = daysDone;
        // copies: the caller goes on adding to its maps
        run.rowsPushed = Map.copyOf(rows);
        run.defects = Map.copyOf(defects);
    }

    /** Ends a run: succeeded (error null) or failed. */
    @Transactional
    public void finish(UUID runId, RunStatus status, String error) {
        GenerationRunEntity run = repository.findByIdOptional(runId).orElseThrow();
        run.status = status;
        run.error = error;
        run.finishedAt = Instant.now();
    }

    @Transactional
    public Optional<GenerationRun> find(UUID runId) {
        return repository.findByIdOptional(runId).map(r -> new GenerationRun(r.runId, r.status.wireName(), r.params,
                r.daysTotal, r.daysDone, r.rowsPushed, r.defects, r.error, r.createdAt, r.finishedAt));
    }
}
