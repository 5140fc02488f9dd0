package dev.shopflow.generator.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shopflow.common.client.PeerRefusedException;
import dev.shopflow.common.metrics.LastSuccess;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.trace.RunSpans;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.common.wire.RunStatus;
import dev.shopflow.generator.client.IngestionClient;
import dev.shopflow.generator.config.GeneratorConfig;
import dev.shopflow.generator.domain.DayData;
import dev.shopflow.generator.domain.GenerationParams;
import dev.shopflow.generator.domain.GenerationRun;
import dev.shopflow.generator.domain.RecordJson;
import dev.shopflow.generator.domain.ShopGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

/** Runs generations in the background: each day is generated, then pushed entity by entity in bounded batches. */
@ApplicationScoped
public class GenerationService {

    private static final Logger LOG = Logger.getLogger(GenerationService.class);

    private final GenerationRuns runs;
    private final IngestionClient ingestion;
    private final MeterRegistry registry;
    private final LastSuccess lastSuccess;
    private final int batchRows;
    private final RunSpans spans;
    private final GenerationMemory memory;
    /** Two runs at once at most; a run outlives its request, so no request context travels (its trace does: RunSpans). */
    private final ManagedExecutor executor = ManagedExecutor.builder().maxAsync(2).propagated(ThreadContext.NONE).build();

    GenerationService(GenerationRuns runs, IngestionClient ingestion,
            MeterRegistry registry, LastSuccess lastSuccess, RunSpans spans, GeneratorConfig config, GenerationMemory memory) {
        this.spans = spans;
        this.memory = memory;
        this.runs = runs;
        this.ingestion = ingestion;
        this.registry = registry;
        this.lastSuccess = lastSuccess;
        this.batchRows = config.batchRows();
    }

    /** A 400 when the run's busiest day can never fit the generator's heap (GenerationMemory). */
    public void checkMemory(GenerationParams params) {
        memory.check(params);
    }

    /** Records the run and starts it; the future completes when the run has ended either way. */
    public Started start(GenerationParams params) {
        UUID runId = UUID.randomUUID();
        int days = (int) ChronoUnit.DAYS.between(params.from(), params.to()) + 1;
        runs.create(runId, params, days);
        CompletableFuture<Void> done = CompletableFuture.runAsync(spans.inSpan("generation run", () -> execute(runId, params)), executor);
        return new Started(runId, done);
    }

    /** A run by id, or a 404 problem (also for an id that is not a UUID). */
    public GenerationRun run(String runId) {
        try {
            return runs.find(UUID.fromString(runId)).orElseThrow(() -> unknownRun(runId));
        } catch (IllegalArgumentException e) {
            throw unknownRun(runId);
        }
    }

    private static ProblemException unknownRun(String runId) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-run", "No generation run " + runId));
    }

    public record Started(UUID runId, CompletableFuture<Void> done) {
    }

    private void execute(UUID runId, GenerationParams params) {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Integer> defects = new LinkedHashMap<>();
        try (GenerationMemory.Permit permit = memory.reserve(params)) {
            runs.running(runId);
            ShopGenerator generator = new ShopGenerator(params);
            int done = 0;
            for (LocalDate day = params.from(); !day.isAfter(params.to()); day = day.plusDays(1)) {
                DayData data = generator.day(day);
                for (Map.Entry<Entity, List<Object>> entry : data.records().entrySet()) {
                    push(params, day, entry.getKey(), entry.getValue());
                    rows.merge(entry.getKey().wireName(), (long) entry.getValue().size(), Long::sum);
                }
                data.defects().forEach((k, v) -> defects.merge(k, v, Integer::sum));
                runs.progress(runId, ++done, rows, defects);
            }
            runs.finish(runId, RunStatus.SUCCEEDED, null);
            lastSuccess.mark("generate");
            LOG.infof("Generation run %s succeeded: %s", runId, rows);
        } catch (Exception e) {
            LOG.errorf(e, "Generation run %s failed", runId);
            try {
                runs.finish(runId, RunStatus.FAILED, e.getMessage());
            } catch (RuntimeException inner) {
                LOG.error("Could not record the failure", inner);
            }
        }
    }

    private void push(GenerationParams params, LocalDate day, Entity entity, List<Object> records)
            throws JsonProcessingException {
        for (int start = 0, part = 0; start < records.size(); start += batchRows, part++) {
            List<Object> chunk = records.subList(start, Math.min(records.size(), start + batchRows));
            java.io.StringWriter ndjson = new java.io.StringWriter(chunk.size() * 160);
            RecordJson.Lines lines = new RecordJson.Lines(ndjson);
            for (Object record : chunk) {
                lines.add(record);
            }
            lines.finish();
            // Same (seed, parameters, day, entity, part) -> same key: a replayed run loads nothing twice.
            String key = "gen:" + params.fingerprint() + ":" + day + ":" + entity.wireName() + ":" + part;
            try {
                ingestion.push(entity.wireName(), key, ndjson.toString());
            } catch (PeerRefusedException e) {
                // a final answer: the run fails now and says what ingestion said
                throw new IllegalStateException("ingestion refused the " + entity.wireName() + " batch " + key + " of "
                        + day + ": " + e.getMessage(), e);
            }
            Counter.builder("shopflow.generator.rows").description("Rows generated and pushed to ingestion")
                    .tag("entity", entity.wireName()).register(registry).increment(chunk.size());
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }
}
