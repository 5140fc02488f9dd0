package dev.shopflow.ingestion.service;

import dev.shopflow.common.wire.Entity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The shopflow_ingest_* metrics of docs/contract.md section 5; tags are bounded (entity, outcome, status). */
@ApplicationScoped
public class IngestionMetrics {

    private final MeterRegistry registry;
    /** Meters made once per tag set and kept (entities, outcomes and statuses are fixed names). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    IngestionMetrics(MeterRegistry registry) {
        this.registry = registry;
        // every series the alerts and dashboards read exists from the start, at 0: an alert on
        // increase() of a series that was never created would never fire
        for (Entity entity : Entity.values()) {
            rows(entity.wireName(), 0, 0);
            for (String status : new String[] {"loaded", "rejected", "failed"}) {
                batchCounter(entity.wireName(), status);
            }
        }
    }

    void rows(String entity, int loaded, int quarantined) {
        rowCounter(entity, "loaded").increment(loaded);
        rowCounter(entity, "quarantined").increment(quarantined);
    }

    void batch(String entity, String status, Duration duration) {
        batches(entity, status);
        timers.computeIfAbsent(entity, e -> Timer.builder("shopflow.ingest.batch").description("Time to load one batch")
                .tags("entity", e).publishPercentileHistogram().register(registry)).record(duration);
    }

    /** A batch refused whole: "rejected" (bad request, 4xx) or "failed" (our side, 5xx); nothing of it was kept. */
    void refused(String entity, String status) {
        batches(entity, status);
    }

    private void batches(String entity, String status) {
        batchCounter(entity, status).increment();
    }

    private Counter batchCounter(String entity, String status) {
        return counters.computeIfAbsent("batches/" + entity + "/" + status, k -> Counter.builder("shopflow.ingest.batches")
                .description("Batches received, by final status").tags("entity", entity, "status", status).register(registry));
    }

    private Counter rowCounter(String entity, String outcome) {
        return counters.computeIfAbsent("rows/" + entity + "/" + outcome, k -> Counter.builder("shopflow.ingest.rows")
                .description("Rows ingested, by outcome").tags("entity", entity, "outcome", outcome).register(registry));
    }
}
