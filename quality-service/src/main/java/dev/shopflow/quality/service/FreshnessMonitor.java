package dev.shopflow.quality.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * shopflow_data_freshness_seconds{layer}: seconds since staging last received a batch and since
 * marts last published a version. The timestamps are read on a schedule and the age is computed
 * at scrape time, so a stalled pipeline shows a growing age even between reads; NaN until known.
 */
@ApplicationScoped
public class FreshnessMonitor {

    private static final Logger LOG = Logger.getLogger(FreshnessMonitor.class);
    private static final Map<String, String> LATEST = Map.of(
            "staging", "SELECT max(loaded_at) FROM pipeline.batch",
            "marts", "SELECT max(published_at) FROM pipeline.published_version");

    private final DataSource dataSource;
    private final Map<String, AtomicReference<Instant>> latest = Map.of(
            "staging", new AtomicReference<>(), "marts", new AtomicReference<>());

    FreshnessMonitor(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        latest.forEach((layer, at) -> Gauge.builder("shopflow.data.freshness.seconds", at, FreshnessMonitor::age)
                .description("Seconds since the layer last received data (staging: a batch; marts: a published version)")
                .baseUnit("seconds").tag("layer", layer).register(registry));
    }

    private static double age(AtomicReference<Instant> at) {
        Instant t = at.get();
        return t == null ? Double.NaN : (System.currentTimeMillis() - t.toEpochMilli()) / 1000.0;
    }

    @Scheduled(identity = "freshness", every = "${shopflow.quality.freshness-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (var entry : LATEST.entrySet()) {
                try (ResultSet rs = st.executeQuery(entry.getValue())) {
                    Timestamp ts = rs.next() ? rs.getTimestamp(1) : null;
                    latest.get(entry.getKey()).set(ts == null ? null : ts.toInstant());
                }
            }
        } catch (SQLException e) {
            // before ingestion and transform have migrated their tables, or the database is down
            LOG.debugf("Freshness not available yet: %s", e.getMessage());
        }
    }
}
