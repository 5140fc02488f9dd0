package dev.shopflow.ingestion.service;

import dev.shopflow.common.wire.Entity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The shopflow_ingest_* metrics of CONTRACT.md section 5; tags are bounded (entity, outcome, status). */
@ApplicationScoped
public class IngestionMetrics {

    private final MeterRegistry registry;

    IngestionMetrics(MeterRegistry registry) {
        this.registry = registry;
        // every series the alerts and dashboards read exists from the start, at 0: an alert on
        // increase() of a series that was never created would never fire
        for (Entity entity : Entity.values()) {
            rows(entity.wireName(), 0, 0);
            for (String status : new String[] {"loaded", "rejected", "failed"}) {
                Counter.builder("shopflow.ingest.batches").description("Batches received, by final status")
                        .tags("entity", entity.wireName(), "status", status).register(registry);
            }
        }
    }

    void rows(String entity, int loaded, int quarantined) {
        Counter.builder("shopflow.ingest.rows").description("Rows ingested, by outcome")
                .tags("entity", entity, "outcome", "loaded").register(registry).increment(loaded);
        Counter.builder("shopflow.ingest.rows").description("Rows ingested, by outcome")
                .tags("entity", entity, "outcome", "quarantined").register(registry).increment(quarantined);
    }

    void batch(String entity, String status, Duration duration) {
        batches(entity, status);
        Timer.builder("shopflow.ingest.batch").description("Time to load one batch")
                .tags("entity", entity).publishPercentileHistogram().register(registry).record(duration);
    }

    /** A batch refused whole: "rejected" (bad request, 4xx) or "failed" (our side, 5xx); nothing of it was kept. */
    void refused(String entity, String status) {
        batches(entity, status);
    }

    private void batches(String entity, String status) {
        Counter.builder("shopflow.ingest.batches").description("Batches received, by final status")
                .tags("entity", entity, "status", status).register(registry).increment();
    }
}
