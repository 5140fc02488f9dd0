package dev.shopflow.ingestion.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.config.SourcesConfig;
import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.RowValidator;
import dev.shopflow.ingestion.domain.SourceDefinition;
import dev.shopflow.ingestion.domain.SourcesFile;
import dev.shopflow.ingestion.domain.ValidatedRow;
import dev.shopflow.ingestion.format.BatchFormat;
import dev.shopflow.ingestion.format.RowReader;
import dev.shopflow.ingestion.format.SourceRow;
import dev.shopflow.ingestion.persistence.SourceState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

/**
 * Runs sources (docs/sources.md): on request, on each source's schedule, and again with back-off after
 * a failure. One run per source at a time across replicas (a session advisory lock on ShopFlow's
 * database, held for the run); a run reads each mapping past its cursor and loads the rows through the
 * ingestion path of pushed batches.
 */
@ApplicationScoped
public class SourceRuns {

    private static final Logger LOG = Logger.getLogger(SourceRuns.class);

    /** What the file gave: the sources by name and the refused ones' messages. */
    public record Catalog(Map<String, SourceDefinition> sources, List<String> refused) {
    }

    private final DataSource dataSource;
    private final BatchIngestionService ingestion;
    private final SourceState state;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final SourcesConfig config;
    private final Scheduler scheduler;
    private final ManagedExecutor executor = ManagedExecutor.builder().maxAsync(2).propagated(ThreadContext.NONE).build();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "source-retries");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> failuresInARow = new ConcurrentHashMap<>();
    private final Map<String, Instant> newestLoaded = new ConcurrentHashMap<>();
    private volatile Catalog catalog = new Catalog(Map.of(), List.of());

    SourceRuns(DataSource dataSource, BatchIngestionService ingestion, SourceState state, ObjectMapper json,
            MeterRegistry registry, SourcesConfig config, Scheduler scheduler) {
        this.dataSource = dataSource;
        this.ingestion = ingestion;
        this.state = state;
        this.json = json;
        this.registry = registry;
        this.config = config;
        this.scheduler = scheduler;
    }

    void onStart(@Observes StartupEvent event) {
        catalog = verified(load(config.file()));
        catalog.refused().forEach(message -> LOG.errorf("Source refused: %s", message));
        for (SourceDefinition s : catalog.sources().values()) {
            LOG.infof("Source %s: %s", s.name(), s);
            // every source's series from the start (at 0), so a dashboard or an alert sees a source before it fails
            for (String status : List.of("succeeded", "failed")) {
                registry.counter("shopflow.source.runs", "source", s.name(), "status", status);
            }
            for (Entity e : s.mappings().keySet()) {
                Counter.builder("shopflow.source.rows").description("Rows read from sources and loaded or quarantined")
                        .tag("source", s.name()).tag("entity", e.wireName()).register(registry);
            }
            Gauge.builder("shopflow.source.lag.seconds", this, runs -> runs.lagSeconds(s.name()))
                    .description("Now minus the newest timestamp cursor value loaded from the source")
                    .tag("source", s.name()).register(registry);
            s.schedule().ifPresent(cron -> scheduler.newJob("source-" + s.name()).setCron(cron)
                    .setTask(execution -> startQuietly(s.name(), false)).schedule());
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        retries.shutdownNow();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    static Catalog load(Optional<String> file) {
        if (file.isEmpty() || file.get().isBlank()) {
            return new Catalog(Map.of(), List.of());
        }
        try (InputStream in = Files.newInputStream(Path.of(file.get()))) {
            SourcesFile.Read read = SourcesFile.read(in, file.get());
            Map<String, SourceDefinition> byName = new LinkedHashMap<>();
            read.sources().forEach(s -> byName.put(s.name(), s));
            return new Catalog(Map.copyOf(byName), read.refused());
        } catch (java.io.IOException e) {
            return new Catalog(Map.of(), List.of(file.get() + ": cannot be read: " + e.getMessage()));
        }
    }

    /**
     * Refuses, as the file loads, a source whose mapping lacks a required field (each query is planned on
     * the source, no row read). A source that cannot be reached now is kept: its runs check again.
     */
    private Catalog verified(Catalog read) {
        Map<String, SourceDefinition> kept = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>(read.refused());
        for (SourceDefinition s : read.sources().values()) {
            SourceExtractor extractor = new SourceExtractor(s, json, 3);
            List<String> problems = new ArrayList<>();
            try (Connection c = extractor.connect()) {
                for (SourceDefinition.Mapping m : s.mappings().values()) {
                    try {
                        List<String> missing = extractor.missingRequired(c, m);
                        if (!missing.isEmpty()) {
                            problems.add("entity '" + m.entity().wireName() + "': the mapping gives no column "
                                    + String.join(", ", missing));
                        }
                    } catch (SQLException e) {
                        problems.add("entity '" + m.entity().wireName() + "': the mapping does not run: "
                                + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("Source %s cannot be reached now (%s); its runs will check its mappings",
                        s.name(), String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
            if (problems.isEmpty()) {
                kept.put(s.name(), s);
            } else {
                refused.add(config.file().orElse("") + ": source '" + s.name() + "': " + String.join("; ", problems));
            }
        }
        return new Catalog(Map.copyOf(kept), List.copyOf(refused));
    }

    public Catalog catalog() {
        return catalog;
    }

    public SourceDefinition source(String name) {
        SourceDefinition s = catalog.sources().get(name);
        if (s == null) {
            throw new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-source", "No source " + name
                    + (catalog.refused().stream().anyMatch(r -> r.contains("'" + name + "'")) ? " (it was refused: see GET /api/v1/sources)" : "")));
        }
        return s;
    }

    /** Starts a run in the background; 409 while one runs for the source anywhere. */
    public long start(String name, boolean full) throws SQLException {
        SourceDefinition source = source(name);
        Connection lock = dataSource.getConnection();
        try {
            if (!SourceState.tryLock(lock, name)) {
                lock.close();
                throw new ProblemException(Problem.of(Response.Status.CONFLICT, "source-run-in-progress",
                        "A run of source " + name + " is in progress"));
            }
            state.failAbandoned(name);
            long runId = state.startRun(name, full);
            executor.submit(() -> execute(runId, source, full, lock));
            return runId;
        } catch (SQLException | RuntimeException e) {
            if (!lock.isClosed()) {
                SourceState.unlock(lock, name);
                lock.close();
            }
            throw e;
        }
    }

    /**
     * Runs a source on the calling thread, waiting up to {@code wait} for a run in progress to end; the
     * capture's full read before it follows changes. Returns the run's id and whether it succeeded.
     */
    public record Finished(long runId, boolean succeeded, List<String> errors) {
    }

    public Finished runAndWait(String name, boolean full, Duration wait, java.util.function.LongConsumer started)
            throws SQLException, InterruptedException {
        SourceDefinition source = source(name);
        long deadline = System.nanoTime() + wait.toNanos();
        Connection lock = dataSource.getConnection();
        try {
            while (!SourceState.tryLock(lock, name)) {
                if (System.nanoTime() > deadline) {
                    throw new SQLException("a run of source " + name + " has been in progress for longer than " + wait);
                }
                Thread.sleep(500);
            }
            state.failAbandoned(name);
        } catch (SQLException | InterruptedException | RuntimeException e) {
            lock.close();
            throw e;
        }
        long runId;
        try {
            runId = state.startRun(name, full);
        } catch (SQLException e) {
            SourceState.unlock(lock, name);
            lock.close();
            throw e;
        }
        started.accept(runId);
        List<String> errors = execute(runId, source, full, lock);
        return new Finished(runId, errors.isEmpty(), errors);
    }

    private void startQuietly(String name, boolean full) {
        try {
            start(name, full);
        } catch (ProblemException e) {
            LOG.debugf("Source %s: %s", name, e.getMessage());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Source %s: could not start a run: %s", name, e.getMessage());
        }
    }

    private List<String> execute(long runId, SourceDefinition source, boolean full, Connection lock) {
        Map<String, SourceExtractor.EntityRun> done = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String status = "succeeded";
        try {
            SourceExtractor extractor = new SourceExtractor(source, json);
            try (Connection c = extractor.connect()) {
                for (Entity entity : Entity.values()) {
                    SourceDefinition.Mapping mapping = source.mappings().get(entity);
                    if (mapping == null) {
                        continue;
                    }
                    SourceExtractor.EntityRun r = extractor.extract(c, mapping, state.cursor(source.name(), entity.wireName()),
                            full, ingestion, state);
                    done.put(entity.wireName(), r);
                    countRows(source.name(), entity, r.rows());
                    if (r.cursorAfter() != null && mapping.cursor() != null) {
                        noteNewest(source.name(), r.cursorAfter());
                    }
                    state.updateRun(runId, "running", done, errors);
                }
            }
        } catch (Exception e) {
            status = "failed";
            // the source's own text: what an operator needs to fix a mapping or a connection
            errors.add(String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
            LOG.errorf("Source %s run %d failed: %s", source.name(), runId, errors.get(errors.size() - 1));
        } finally {
            // released on the session that holds it, before its connection goes back to the pool (a
            // try-with-resources would close it first, and the pooled session would keep the lock)
            try {
                SourceState.unlock(lock, source.name());
            } catch (SQLException e) {
                LOG.warnf("Could not release the lock of source %s: %s", source.name(), e.getMessage());
            }
            try {
                lock.close();
            } catch (SQLException e) {
                LOG.debug("Could not close the source lock's connection", e);
            }
        }
        try {
            state.updateRun(runId, status, done, errors);
        } catch (SQLException e) {
            LOG.errorf("Could not record the end of source run %d: %s", runId, e.getMessage());
        }
        registry.counter("shopflow.source.runs", "source", source.name(), "status", status).increment();
        if (status.equals("failed")) {
            if (source.capture().isEmpty()) {
                scheduleRetry(source.name()); // a capture's full read is retried by its capture
            }
        } else {
            failuresInARow.remove(source.name());
            LOG.infof("Source %s run %d: %s", source.name(), runId, done.values());
        }
        return errors;
    }

    void countRows(String source, Entity entity, long rows) {
        Counter.builder("shopflow.source.rows").description("Rows read from sources and loaded or quarantined")
                .tag("source", source).tag("entity", entity.wireName()).register(registry).increment(rows);
    }

    /**
     * A failure outside a run (a capture that stopped with an error): recorded as a failed run with the
     * source's text, counted in {@code shopflow_source_runs_total{status="failed"}} and in the failures
     * in a row; returns the back-off before the next try.
     */
    Duration recordFailure(String name, boolean full, String error) {
        try {
            long runId = state.startRun(name, full);
            state.updateRun(runId, "failed", Map.of(), List.of(error));
        } catch (SQLException e) {
            LOG.errorf("Could not record the failure of source %s: %s", name, e.getMessage());
        }
        registry.counter("shopflow.source.runs", "source", name, "status", "failed").increment();
        int n = failuresInARow.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        return backoff(n);
    }

    void recordRecovery(String name) {
        failuresInARow.remove(name);
    }

    private Duration backoff(int failures) {
        Duration wait = config.retryInitial().multipliedBy(1L << Math.min(failures - 1, 20));
        return wait.compareTo(config.retryMax()) > 0 ? config.retryMax() : wait;
    }

    /** A failed run is tried again after 30 s, doubled per failure in a row, at most 10 min (config). */
    private void scheduleRetry(String name) {
        int n = failuresInARow.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        Duration wait = backoff(n);
        LOG.infof("Source %s failed %d time(s) in a row; retrying in %s", name, n, wait);
        try {
            retries.schedule(() -> startQuietly(name, false), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Shutting down: no retry", e);
        }
    }

    public int failuresInARow(String name) {
        AtomicInteger n = failuresInARow.get(name);
        return n == null ? 0 : n.get();
    }

    void noteNewest(String source, String cursor) {
        try {
            Instant at = Instant.parse(cursor);
            newestLoaded.merge(source, at, (a, b) -> a.isAfter(b) ? a : b);
        } catch (java.time.format.DateTimeParseException e) {
            // a number or text cursor says nothing about time
        }
    }

    /** Now minus the newest timestamp cursor loaded; NaN when none is known. */
    public double lagSeconds(String source) {
        Instant newest = newestLoaded.get(source);
        if (newest == null) {
            try {
                SourceDefinition s = catalog.sources().get(source);
                for (Entity e : s == null ? Set.<Entity>of() : s.mappings().keySet()) {
                    state.cursor(source, e.wireName()).filter(c -> c.kind().equals("timestamp"))
                            .ifPresent(c -> noteNewest(source, c.value()));
                }
            } catch (SQLException e) {
                return Double.NaN;
            }
            newest = newestLoaded.get(source);
        }
        return newest == null ? Double.NaN : Duration.between(newest, Instant.now()).toMillis() / 1000.0;
    }

    /**
     * The dry run: the first {@code rows} rows of each mapping as ShopFlow records and what validation
     * says of each; nothing is loaded.
     */
    public Map<String, Object> check(String name, int rows) {
        SourceDefinition source = source(name);
        SourceExtractor extractor = new SourceExtractor(source, json);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", name);
        Map<String, Object> entities = new LinkedHashMap<>();
        try (Connection c = extractor.connect()) {
            for (SourceDefinition.Mapping mapping : source.mappings().values()) {
                entities.put(mapping.entity().wireName(), sample(extractor, c, mapping, rows));
            }
        } catch (SQLException | RuntimeException e) {
            out.put("error", String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
        }
        out.put("entities", entities);
        return out;
    }

    private Map<String, Object> sample(SourceExtractor extractor, Connection c, SourceDefinition.Mapping mapping, int rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            SourceExtractor.Sample sample = extractor.sample(c, mapping, rows);
            RecordSchema schema = RecordSchema.of(mapping.entity());
            RowValidator validator = new RowValidator(schema);
            List<Map<String, Object>> checked = new ArrayList<>();
            RowReader reader = BatchFormat.of("application/x-ndjson").open(new StringReader(String.join("\n", sample.lines())), schema);
            Instant now = Instant.now();
            for (SourceRow row; (row = reader.next()) != null;) {
                ValidatedRow v = row.malformed() ? ValidatedRow.malformed(schema) : validator.validate(row.fields(), now);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("record", json.readTree(row.text()));
                r.put("valid", v.valid());
                r.put("reasons", v.reasons());
                checked.add(r);
            }
            out.put("columns", sample.columns());
            out.put("missing_required", sample.missingRequired());
            out.put("ignored_columns", sample.unknownColumns());
            out.put("rows", checked);
        } catch (Exception e) {
            out.put("error", String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
        }
        return out;
    }
}
