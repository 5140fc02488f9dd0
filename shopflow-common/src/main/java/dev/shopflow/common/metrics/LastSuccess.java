package dev.shopflow.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@code shopflow_last_success_timestamp_seconds{stage}}: when a pipeline stage last succeeded. */
@ApplicationScoped
public class LastSuccess {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> epochSeconds = new ConcurrentHashMap<>();

    LastSuccess(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param stage one of generate, ingest, transform, publish */
    public void mark(String stage) {
        epochSeconds.computeIfAbsent(stage, s -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("shopflow.last.success.timestamp.seconds", holder, AtomicLong::get)
                    .description("Unix time of the last success of a pipeline stage")
                    .tag("stage", s).register(registry);
            return holder;
        }).set(System.currentTimeMillis() / 1000);
    }
}
