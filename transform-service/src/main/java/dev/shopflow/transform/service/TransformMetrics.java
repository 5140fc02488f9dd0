package dev.shopflow.transform.service;

import dev.shopflow.common.wire.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** shopflow_transform_* and shopflow_published_version (docs/contract.md section 5). */
@ApplicationScoped
public class TransformMetrics {

    private final MeterRegistry registry;
    /** Meters made once per tag value and kept (statuses and steps are a handful of fixed names). */
    private final Map<String, Counter> runs = new ConcurrentHashMap<>();
    private final Map<String, Timer> steps = new ConcurrentHashMap<>();
    private final AtomicLong publishedVersion = new AtomicLong();
    private final AtomicLong consecutiveFailures = new AtomicLong();

    TransformMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("shopflow.published.version", publishedVersion, AtomicLong::get)
                .description("Mart version currently served").register(registry);
        Gauge.builder("shopflow.transform.consecutive.failures", consecutiveFailures, AtomicLong::get)
                .description("Transform runs failed in a row since the last run that did not fail; "
                        + "automatic runs back off while it is above 0").register(registry);
        // every status exists from the start, at 0, so increase() in the alerts sees the first failure
        for (String status : new String[] {RunStatus.SUCCEEDED.wireName(), RunStatus.FAILED.wireName(),
                RunStatus.AUDIT_FAILED.wireName()}) {
            runCounter(status);
        }
    }

    void run(String status) {
        runCounter(status).increment();
    }

    void step(String step, Duration duration) {
        steps.computeIfAbsent(step, s -> Timer.builder("shopflow.transform.step").description("Duration of transform steps")
                .tag("step", s).publishPercentileHistogram().register(registry)).record(duration);
    }

    private Counter runCounter(String status) {
        return runs.computeIfAbsent(status, s -> Counter.builder("shopflow.transform.runs")
                .description("Transform runs by final status").tag("status", s).register(registry));
    }

    void consecutiveFailures(long failures) {
        consecutiveFailures.set(failures);
    }

    void published(long version) {
        publishedVersion.set(version);
    }

    /** What shopflow_published_version shows. */
    long published() {
        return publishedVersion.get();
    }
}
