package dev.shopflow.quality.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.Audit;
import dev.shopflow.quality.domain.CheckDefinition;
import dev.shopflow.quality.domain.StoredResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** Runs the checks of a layer on a scope, stores every result and updates the quality gauges. */
@ApplicationScoped
public class CheckRunService {

    private final DataSource dataSource;
    private final CheckCatalog catalog;
    private final CheckHistory history;
    private final MeterRegistry registry;
    private final CheckExecutor executor;
    private final Map<String, AtomicLong> statusGauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failedRowGauges = new ConcurrentHashMap<>();

    CheckRunService(DataSource dataSource, CheckCatalog catalog, CheckHistory history, MeterRegistry registry,
            ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.history = history;
        this.registry = registry;
        this.executor = new CheckExecutor(mapper);
    }

    /** A stored check run with its results, or a 404 problem (also for an id that is not a number). */
    public Audit.CheckRunResult storedRun(String runId) {
        try {
            return history.run(Long.parseLong(runId)).orElseThrow(() -> unknownRun(runId));
        } catch (NumberFormatException e) {
            throw unknownRun(runId);
        }
    }

    /** Results history, newest first (null filters: any). */
    public List<StoredResult> history(String status, String check, int limit) {
        return history.results(status, check, limit);
    }

    private static ProblemException unknownRun(String runId) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-check-run", "No check run " + runId));
    }

    /**
     * Runs a layer's checks. A run without a version whose layer has versioned checks checks the
     * published version (said in its stored scope). Only audits ({@code trigger: audit}, what transform
     * sends) and quality's own schedule ({@code trigger: schedule}) move the gauges of the checks'
     * published state; an on-demand run is kept in the history and answered, nothing more.
     */
    public Audit.CheckRunResult run(String layer, Map<String, Object> requested) throws SQLException {
        Instant started = Instant.now();
        Map<String, Object> scope = new java.util.LinkedHashMap<>(requested);
        Long version = scope.get("version") instanceof Number n ? n.longValue() : null;
        List<Audit.CheckResult> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            if (version == null && catalog.ofLayer(layer).stream().anyMatch(CheckDefinition::isVersioned)) {
                version = publishedVersion(c);
                if (version != null) {
                    scope.put("version", version);
                    scope.put("version_defaulted", true);
                }
            }
            for (CheckDefinition check : catalog.ofLayer(layer)) {
                out.add(executor.execute(c, check, version));
            }
        }
        // an error check that failed, or could not run, blocks the publish
        boolean passed = out.stream().noneMatch(Audit.CheckResult::blocksPublish);
        String status = out.stream().anyMatch(r -> !"passed".equals(r.status())) ? "failed" : "passed";
        long runId = history.save(layer, scope, status, started, out);
        Object trigger = scope.get("trigger");
        if ("audit".equals(trigger) || "schedule".equals(trigger)) {
            out.forEach(this::record);
        }
        return new Audit.CheckRunResult(runId, layer, scope, status, passed, out);
    }

    private static Long publishedVersion(Connection c) throws SQLException {
        try (java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT max(version) FROM pipeline.published_version")) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }
    }

    private void record(Audit.CheckResult r) {
        statusGauges.computeIfAbsent(r.check(), name -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("shopflow.quality.check.status", holder, AtomicLong::get)
                    .description("1 when the check's last result passed, 0 when it failed")
                    .tags(Tags.of("check", name, "layer", r.layer(), "severity", r.severity())).register(registry);
            return holder;
        }).set("passed".equals(r.status()) ? 1 : 0);
        failedRowGauges.computeIfAbsent(r.check(), name -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("shopflow.quality.failed.rows", holder, AtomicLong::get)
                    .description("Failing rows found by the check's last result")
                    .tags(Tags.of("check", name, "layer", r.layer())).register(registry);
            return holder;
        }).set(r.failingRows());
    }
}
