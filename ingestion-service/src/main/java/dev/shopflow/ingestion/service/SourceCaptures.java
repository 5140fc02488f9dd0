package dev.shopflow.ingestion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.domain.SourceDefinition;
import dev.shopflow.ingestion.persistence.CaptureOffsetStore;
import dev.shopflow.ingestion.persistence.SourceState;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Change data capture of PostgreSQL sources (docs/sources.md#change-data-capture). Per source with a
 * {@code capture}, one replica at a time (a session advisory lock on ShopFlow's database) runs
 * Debezium's embedded engine on the source's replication slot. A first capture creates the slot, reads
 * everything through the mappings (a full run), then follows the changes from the slot's start, so a
 * change made during the full read is read again, never lost. Changes gather for {@code interval}; the
 * changed rows' keys are read again through the mappings that follow their tables (joins, renames and
 * zones stay the mapping's) and loaded as pushed batches are; only then are the engine's offsets
 * written (to {@code pipeline.source_offset}). A restart resumes from them: a change is read again at
 * most, and its batch key (source, entity, log position, body) makes that a replay.
 */
@ApplicationScoped
public class SourceCaptures {

    private static final Logger LOG = Logger.getLogger(SourceCaptures.class);
    private static final Duration STANDBY = Duration.ofSeconds(10);

    /** What GET /api/v1/sources shows of a capture. */
    public record Status(String state, String slot, String publication, long changes, long deletes, Instant lastChangeAt,
            String error) {
    }

    private final DataSource dataSource;
    private final SourceRuns runs;
    private final BatchIngestionService ingestion;
    private final ObjectMapper json;
    private final Map<String, Capture> captures = new ConcurrentHashMap<>();

    SourceCaptures(DataSource dataSource, SourceRuns runs, BatchIngestionService ingestion, ObjectMapper json) {
        this.dataSource = dataSource;
        this.runs = runs;
        this.ingestion = ingestion;
        this.json = json;
    }

    /** After {@link SourceRuns} has read the sources file (a later priority). */
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        for (SourceDefinition s : runs.catalog().sources().values()) {
            if (s.capture().isPresent()) {
                Capture c = new Capture(s);
                captures.put(s.name(), c);
                c.thread.start();
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        captures.values().forEach(Capture::stop);
        for (Capture c : captures.values()) {
            c.thread.join(30_000);
        }
    }

    public Status status(String source) {
        Capture c = captures.get(source);
        return c == null ? null : c.status();
    }

    /**
     * A full re-read of a capture source: forgets the offsets, drops the slot and starts again (a new
     * slot, a full read, then changes): how a capture recovers from a lost slot. Only the replica that
     * holds the capture can; the others answer 409.
     */
    public long reset(String source) throws InterruptedException {
        Capture c = captures.get(source);
        if (c == null || "standby".equals(c.state)) {
            throw new ProblemException(Problem.of(Response.Status.CONFLICT, "capture-elsewhere", "The capture of source "
                    + source + " runs on another replica; ask again"));
        }
        return c.requestReset();
    }

    /** Stops and starts a capture on this replica (tests: a restart resumes from the stored offsets). */
    void restart(String source) {
        Capture c = captures.get(source);
        if (c != null) {
            c.closeEngine();
        }
    }

    /** One source's capture: a thread that takes the lock, runs the engine, and backs off on failures. */
    private final class Capture {
        private final SourceDefinition source;
        private final SourceDefinition.Capture config;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile boolean holding;
        private volatile DebeziumEngine<ChangeEvent<String, String>> engine;
        private volatile String state = "starting";
        private volatile String error;
        private volatile Instant lastChangeAt;
        private volatile long changes;
        private volatile long deletes;
        private volatile CompletableFuture<Long> pendingReset;

        Capture(SourceDefinition source) {
            this.source = source;
            this.config = source.capture().orElseThrow();
            this.thread = new Thread(this::loop, "capture-" + source.name());
            thread.setDaemon(true);
        }

        Status status() {
            return new Status(state, config.slot(), config.publication(), changes, deletes, lastChangeAt, error);
        }

        void stop() {
            stopped = true;
            closeEngine();
            thread.interrupt();
        }

        void closeEngine() {
            DebeziumEngine<?> e = engine;
            if (e != null) {
                try {
                    e.close();
                } catch (IOException ex) {
                    LOG.debugf("Closing the capture engine of %s: %s", source.name(), ex.getMessage());
                }
            }
        }

        /** Asks the capture to start again from a new slot; the id of its full read's run. */
        long requestReset() throws InterruptedException {
            CompletableFuture<Long> run = new CompletableFuture<>();
            pendingReset = run;
            closeEngine();
            synchronized (this) {
                notifyAll(); // a capture waiting after a failure starts now
            }
            try {
                return run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new ProblemException(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "capture-reset-pending",
                        "The capture of source " + source.name() + " has not started its full read yet; see GET /api/v1/source-runs"));
            }
        }

        private void loop() {
            while (!stopped) {
                Duration wait = STANDBY;
                try (Connection lock = dataSource.getConnection()) {
                    if (!SourceState.tryLock(lock, "capture:" + source.name())) {
                        state = "standby";
                    } else {
                        holding = true;
                        try {
                            capture();
                            wait = Duration.ZERO;
                            runs.recordRecovery(source.name());
                        } finally {
                            holding = false;
                            SourceState.unlock(lock, "capture:" + source.name());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    if (stopped) {
                        return;
                    }
                    error = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
                    state = "failed";
                    LOG.errorf("Capture of source %s failed: %s", source.name(), error);
                    wait = runs.recordFailure(source.name(), false, error);
                    LOG.infof("Capture of source %s: trying again in %s", source.name(), wait);
                }
                try {
                    synchronized (this) {
                        if (pendingReset == null && !stopped) {
                            wait(Math.max(wait.toMillis(), 200));
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** One capture, until the engine stops: the full read first when there are no offsets yet. */
        private void capture() throws Exception {
            SourceExtractor extractor = new SourceExtractor(source, json);
            try (Connection reader = extractor.connect()) {
                Map<Entity, Map<String, String>> types = new EnumMap<>(Entity.class);
                for (SourceDefinition.Mapping m : source.mappings().values()) {
                    types.put(m.entity(), extractor.matchTypes(reader, m));
                }
                CompletableFuture<Long> reset = pendingReset;
                boolean hasOffsets;
                try (Connection c = dataSource.getConnection()) {
                    if (reset != null) {
                        CaptureOffsetStore.forget(c, source.name());
                        dropSlot(reader);
                    }
                    hasOffsets = CaptureOffsetStore.has(c, source.name());
                }
                if (!hasOffsets) {
                    state = "reading";
                    // the slot first: what changes while everything is read is kept for the engine
                    createSlot(reader);
                    SourceRuns.Finished read = runs.runAndWait(source.name(), true, Duration.ofMinutes(30), runId -> {
                        if (reset != null) {
                            reset.complete(runId);
                        }
                    });
                    pendingReset = null;
                    if (!read.succeeded()) {
                        throw new IllegalStateException("the full read before capture failed: " + String.join("; ", read.errors()));
                    }
                }
                error = null;
                state = "streaming";
                CompletableFuture<Throwable> finished = new CompletableFuture<>();
                engine = DebeziumEngine.create(Json.class).using(properties())
                        .notifying((records, committer) -> {
                            handle(extractor, reader, types, records);
                            for (ChangeEvent<String, String> r : records) {
                                committer.markProcessed(r);
                            }
                            committer.markBatchFinished();
                        })
                        .using((success, message, failure) -> finished.complete(success ? null
                                : failure != null ? failure : new IllegalStateException(message)))
                        .build();
                LOG.infof("Capture of source %s: following slot %s from %s", source.name(), config.slot(),
                        hasOffsets ? "its stored offsets" : "its start");
                try {
                    engine.run();
                } finally {
                    engine = null;
                }
                Throwable failure = finished.getNow(null);
                if (failure != null && !stopped && pendingReset == null) {
                    Throwable root = failure;
                    while (root.getCause() != null && root.getCause() != root) {
                        root = root.getCause();
                    }
                    String text = String.valueOf(failure.getMessage()) + (root != failure ? " (" + root.getMessage() + ")" : "");
                    if (text.contains("no longer available on the server")) {
                        // the slot lost the stored position: changes in between are gone from the log
                        text = "the replication slot " + config.slot() + " no longer has the stored position (dropped or made "
                                + "anew?): changes were lost; POST /api/v1/sources/" + source.name() + "/runs?full=true reads "
                                + "everything again from a new slot. Connector: " + text;
                    }
                    throw new IllegalStateException(text, failure);
                }
                state = "stopped";
            }
        }

        /** A micro-batch of changes: the changed keys read again through each mapping that follows them, loaded. */
        private void handle(SourceExtractor extractor, Connection reader, Map<Entity, Map<String, String>> types,
                List<ChangeEvent<String, String>> records) throws InterruptedException {
            Map<Entity, Map<String, Set<String>>> keys = new EnumMap<>(Entity.class);
            String position = null;
            Instant newest = null;
            Instant oldest = null;
            long deleted = 0;
            for (ChangeEvent<String, String> r : records) {
                if (r.value() == null) {
                    continue;
                }
                JsonNode event;
                try {
                    event = json.readTree(r.value());
                } catch (IOException e) {
                    continue;
                }
                JsonNode src = event.path("source");
                String table = (src.path("schema").asText() + "." + src.path("table").asText()).toLowerCase(Locale.ROOT);
                JsonNode row = event.path("after").isObject() ? event.path("after") : event.path("before");
                if ("d".equals(event.path("op").asText())) {
                    deleted++;
                }
                if (src.has("lsn")) {
                    position = src.path("lsn").asText();
                }
                if (src.has("ts_ms")) {
                    Instant at = Instant.ofEpochMilli(src.path("ts_ms").asLong());
                    newest = newest == null || at.isAfter(newest) ? at : newest;
                    oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
                }
                for (SourceDefinition.Mapping m : source.mappings().values()) {
                    for (SourceDefinition.Follow f : m.follows()) {
                        JsonNode value = row.get(f.column());
                        if (f.table().toLowerCase(Locale.ROOT).equals(table) && value != null && !value.isNull()) {
                            keys.computeIfAbsent(m.entity(), e -> new LinkedHashMap<>())
                                    .computeIfAbsent(f.match().toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>())
                                    .add(value.asText());
                        }
                    }
                }
            }
            if (keys.isEmpty()) {
                return;
            }
            List<String> loaded = new ArrayList<>();
            try {
                for (Map.Entry<Entity, Map<String, Set<String>>> e : keys.entrySet()) {
                    SourceDefinition.Mapping m = source.mappings().get(e.getKey());
                    SourceExtractor.EntityRun run = extractor.reread(reader, m, types.get(e.getKey()), e.getValue(),
                            position == null ? "?" : position, ingestion);
                    runs.countRows(source.name(), e.getKey(), run.rows());
                    loaded.add(e.getKey().wireName() + " " + run.rows());
                }
            } catch (SQLException | IOException e) {
                // the engine stops; the offsets stay before these changes, so the next capture reads them again
                throw new IllegalStateException("reading changed rows through the mappings: " + e.getMessage(), e);
            }
            changes += records.size();
            deletes += deleted;
            if (newest != null) {
                lastChangeAt = newest;
                runs.noteNewest(source.name(), newest.toString());
            }
            LOG.debugf("Capture of source %s: %d changes (oldest %s) loaded as %s", source.name(), records.size(), oldest, loaded);
        }

        private void createSlot(Connection reader) throws SQLException {
            onSlot(reader, "SELECT pg_create_logical_replication_slot(?, 'pgoutput') "
                    + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)", "made");
        }

        private void dropSlot(Connection reader) throws SQLException {
            onSlot(reader, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE slot_name = ? AND NOT active", "dropped");
        }

        /**
         * Runs a slot function (each {@code ?} is the slot's name) on the reader's session, writable for
         * the moment: slot functions are refused in a read-only transaction.
         */
        private void onSlot(Connection reader, String sql, String what) throws SQLException {
            boolean readOnly = reader.isReadOnly();
            reader.setReadOnly(false);
            try (PreparedStatement ps = reader.prepareStatement(sql)) {
                for (int i = 1; i <= sql.chars().filter(c -> c == '?').count(); i++) {
                    ps.setString(i, config.slot());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LOG.infof("Capture of source %s: %s slot %s", source.name(), what, config.slot());
                    }
                }
            } finally {
                reader.setReadOnly(readOnly);
            }
        }

        /** Debezium's PostgreSQL connector, told where the source is from its JDBC URL. */
        private Properties properties() {
            Properties url = org.postgresql.Driver.parseURL(source.url(), new Properties());
            if (url == null) {
                throw new IllegalStateException("source " + source.name() + ": cannot parse url " + source.url());
            }
            Properties p = new Properties();
            p.setProperty("name", "shopflow-" + source.name());
            p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
            p.setProperty("offset.storage", CaptureOffsetStore.class.getName());
            p.setProperty(CaptureOffsetStore.SOURCE, source.name());
            p.setProperty("offset.flush.interval.ms", "0"); // written after each loaded micro-batch
            p.setProperty("database.hostname", url.getProperty("PGHOST", "localhost").split(",")[0]);
            p.setProperty("database.port", url.getProperty("PGPORT", "5432").split(",")[0]);
            p.setProperty("database.dbname", url.getProperty("PGDBNAME"));
            if (source.user() != null) {
                p.setProperty("database.user", source.user());
            }
            String password = source.password();
            if (password != null) {
                p.setProperty("database.password", password);
            }
            if (url.getProperty("sslmode") != null) {
                p.setProperty("database.sslmode", url.getProperty("sslmode"));
            }
            p.setProperty("topic.prefix", "shopflow_" + source.name().replace('-', '_'));
            p.setProperty("plugin.name", "pgoutput");
            p.setProperty("slot.name", config.slot());
            p.setProperty("slot.drop.on.stop", "false");
            p.setProperty("publication.name", config.publication());
            p.setProperty("publication.autocreate.mode", config.createPublication() ? "filtered" : "disabled");
            p.setProperty("table.include.list", source.mappings().values().stream().flatMap(m -> m.follows().stream())
                    .map(f -> f.table().replace(".", "\\.")).distinct().collect(Collectors.joining(",")));
            p.setProperty("snapshot.mode", "no_data"); // the mappings' full read is the snapshot
            // a slot made anew behind stored offsets means changes were lost: stop and say so
            p.setProperty("offset.mismatch.strategy", "trust_offset");
            p.setProperty("decimal.handling.mode", "string");
            p.setProperty("tombstones.on.delete", "false");
            p.setProperty("converter.schemas.enable", "false");
            p.setProperty("poll.interval.ms", Long.toString(config.interval().toMillis()));
            p.setProperty("max.batch.size", "10000");
            p.setProperty("max.queue.size", "40000");
            // a source that stays away stops the engine after a few tries; the capture backs off and says so
            p.setProperty("errors.max.retries", "3");
            p.setProperty("errors.retry.delay.initial.ms", "1000");
            p.setProperty("errors.retry.delay.max.ms", "5000");
            return p;
        }
    }

}
