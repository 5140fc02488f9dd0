package dev.shopflow.ingestion.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.SqlStates;
import dev.shopflow.common.metrics.LastSuccess;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.BatchReport;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.client.TransformNudger;
import dev.shopflow.ingestion.config.IngestionConfig;
import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.RowValidator;
import dev.shopflow.ingestion.domain.ValidatedRow;
import dev.shopflow.ingestion.format.BatchFormat;
import dev.shopflow.ingestion.format.RowReader;
import dev.shopflow.ingestion.format.SourceRow;
import dev.shopflow.ingestion.persistence.BatchLedger;
import dev.shopflow.ingestion.persistence.DirectLoad;
import dev.shopflow.ingestion.persistence.MergeLoad;
import dev.shopflow.ingestion.persistence.RowSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Loads one batch: every row is validated and either staged or quarantined with its reasons, the
 * raw body and the report are kept, and the ledger records the batch, all in one transaction, so a
 * crash leaves nothing half-loaded and a retry with the same idempotency key loads it exactly once.
 */
@ApplicationScoped
public class BatchIngestionService {

    private static final Logger LOG = Logger.getLogger(BatchIngestionService.class);
    /** Rows read ahead to decide the load path; a later conflict still falls back correctly. */
    static final int PROBE_ROWS = 1000;

    /** The outcome of a request: the report, and whether this request created the batch. */
    public record Outcome(BatchReport report, boolean created) {
    }

    private final DataSource dataSource;
    private final BatchLedger ledger;
    private final IngestionConfig config;
    private final IngestionMetrics metrics;
    private final LastSuccess lastSuccess;
    private final TransformNudger nudger;
    private final ObjectMapper mapper;

    BatchIngestionService(DataSource dataSource, BatchLedger ledger, IngestionConfig config, IngestionMetrics metrics,
            LastSuccess lastSuccess, TransformNudger nudger, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.config = config;
        this.metrics = metrics;
        this.lastSuccess = lastSuccess;
        this.nudger = nudger;
        this.mapper = mapper;
    }

    /** Work that commits with a batch (or, for a replay, after it): a source's cursor moving with its rows. */
    @FunctionalInterface
    public interface WithBatch {
        void run(Connection c, BatchReport report) throws SQLException;
    }

    public Outcome ingest(String entityName, String contentType, String idempotencyKey, InputStream body)
            throws IOException, SQLException {
        return ingest(entityName, contentType, idempotencyKey, body, null);
    }

    /**
     * Loads a batch as {@link #ingest(String, String, String, InputStream)} does, and runs {@code withBatch}
     * in the batch's transaction before it commits; for a replay of a batch already loaded, in a
     * transaction of its own.
     */
    public Outcome ingest(String entityName, String contentType, String idempotencyKey, InputStream body,
            WithBatch withBatch) throws IOException, SQLException {
        RecordSchema schema = RecordSchema.of(Entity.ofPath(entityName));
        BatchFormat format = BatchFormat.of(contentType);
        Instant started = Instant.now();
        String entity = schema.entity().wireName();
        Outcome outcome;
        LoadPhases phases = new LoadPhases();
        boolean keyGiven = idempotencyKey != null && !idempotencyKey.isBlank();
        try (SpooledBody spooled = SpooledBody.spool(body, config.maxBodyBytes())) {
            phases.lap("receive");
            String key = keyGiven ? idempotencyKey.strip() : spooled.sha256;
            if (key.length() > 200) {
                throw new ProblemException(Problem.of(Response.Status.BAD_REQUEST, "bad-idempotency-key",
                        "Idempotency-Key must be at most 200 characters"));
            }
            outcome = load(schema, format, key, spooled, started, phases, withBatch);
        } catch (ProblemException e) {
            metrics.refused(entity, "rejected");
            throw e;
        } catch (IOException | SQLException | RuntimeException e) {
            metrics.refused(entity, "failed");
            throw e;
        }
        if (outcome.created()) {
            BatchReport r = outcome.report();
            metrics.rows(entity, r.loaded(), r.quarantined());
            metrics.batch(entity, r.status(), Duration.between(started, Instant.now()));
            lastSuccess.mark("ingest");
            MDC.put("batch_id", r.batchId().toString());
            try {
                LOG.infof("Loaded batch of %s in %d ms: received=%d loaded=%d quarantined=%d unknown_fields=%d (%s)",
                        entity, Duration.between(started, Instant.now()).toMillis(), r.received(), r.loaded(),
                        r.quarantined(), r.unknownFields(), phases);
            } finally {
                MDC.remove("batch_id");
            }
            nudger.nudge().exceptionally(e -> {
                LOG.warnf("Could not nudge transform after batch %s (the sweep will pick it up): %s",
                        r.batchId(), e.getMessage());
                return null;
            });
        }
        return outcome;
    }

    private Outcome load(RecordSchema schema, BatchFormat format, String key, SpooledBody spooled, Instant receivedAt,
            LoadPhases phases, WithBatch withBatch) throws IOException, SQLException {
        String entity = schema.entity().wireName();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                ledger.lockKey(c, entity, key);
                Optional<BatchLedger.KeptBatch> existing = ledger.find(c, entity, key);
                if (existing.isPresent()) {
                    c.rollback();
                    Outcome replayed = replay(existing.get(), key, spooled);
                    if (withBatch != null) {
                        withBatch.run(c, replayed.report());
                        c.commit();
                    }
                    return replayed;
                }
                UUID batchId = UUID.randomUUID();
                long batchSeq = ledger.open(c, batchId, entity, key, format.mediaType(), spooled.bytes, spooled.sha256,
                        receivedAt);
                phases.lap("open");
                BatchReport report = stageRows(c, schema, format, spooled, batchId, batchSeq, receivedAt, phases);
                ledger.complete(c, report, spooled.gzipFile);
                if (withBatch != null) {
                    withBatch.run(c, report);
                }
                phases.lap("ledger_and_raw");
                c.commit();
                phases.lap("commit");
                return new Outcome(report, true);
            } catch (IOException | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * A key already used: the same body is a replay (the original report, nothing loaded); another body
     * under the same key is refused with 422 (draft-ietf-httpapi-idempotency-key-header), so a corrected
     * file re-sent under an old key is never dropped without a word. A batch loaded before bodies were
     * hashed has no hash to compare: its key is answered as a replay, as it always was.
     */
    private static Outcome replay(BatchLedger.KeptBatch kept, String key, SpooledBody spooled) {
        if (kept.bodySha256() == null || kept.bodySha256().equals(spooled.sha256)) {
            return new Outcome(kept.report(), false);
        }
        throw new ProblemException(Problem.of(Problem.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                "Idempotency-Key '" + key + "' was already used for batch " + kept.report().batchId()
                        + " with a different body; nothing was loaded. Send a new body under a new key "
                        + "(e.g. one per file and version), or the same body to replay")
                .with(java.util.Map.of("idempotency_key", key, "batch_id", kept.report().batchId().toString())));
    }

    /**
     * Stages the batch on the cheapest path that is correct: {@link DirectLoad} when the first rows'
     * keys are all new (if a later key exists or repeats, its COPY fails and everything since the
     * savepoint is rolled back), else {@link MergeLoad}. Either way the rows are read from the
     * spooled body, so a fallback costs a second read, never a lost row.
     */
    private BatchReport stageRows(Connection c, RecordSchema schema, BatchFormat format, SpooledBody spooled,
            UUID batchId, long batchSeq, Instant receivedAt, LoadPhases phases) throws IOException, SQLException {
        if (DirectLoad.accepts(schema) && firstKeysAreNew(c, schema, format, spooled, receivedAt)) {
            Savepoint beforeDirect = c.setSavepoint();
            try (DirectLoad sink = new DirectLoad(c, schema, mapper, batchId, batchSeq, receivedAt)) {
                BatchReport report = pass(sink, schema, format, spooled, batchId, receivedAt, Integer.MAX_VALUE, phases);
                c.releaseSavepoint(beforeDirect);
                phases.path("direct");
                return report;
            } catch (IOException | SQLException | UncheckedIOException e) {
                // an existing or repeated key, or a value COPY could not store: the merge path handles both
                if (!isDuplicateKey(e) && !SqlStates.isUnstorableValue(e)) {
                    throw e;
                }
                c.rollback(beforeDirect);
                phases.lap("direct_abandoned");
            }
        }
        try (MergeLoad sink = new MergeLoad(c, schema, mapper, batchId, batchSeq, receivedAt)) {
            phases.path("merge");
            return pass(sink, schema, format, spooled, batchId, receivedAt, Integer.MAX_VALUE, phases);
        }
    }

    /** Reads up to {@code limit} records of the spooled body, validates them and hands them to the sink. */
    private BatchReport pass(RowSink sink, RecordSchema schema, BatchFormat format, SpooledBody spooled, UUID batchId,
            Instant receivedAt, int limit, LoadPhases phases) throws IOException, SQLException {
        RowValidator validator = new RowValidator(schema);
        int received = 0;
        int quarantined = 0;
        try (Reader body = spooled.reader()) {
            RowReader reader = format.open(body, schema);
            SourceRow source;
            while (received < limit && (source = reader.next()) != null) {
                received++;
                ValidatedRow row = source.malformed() ? ValidatedRow.malformed(schema)
                        : validator.validate(source.fields(), receivedAt);
                if (!row.valid()) {
                    quarantined++;
                }
                sink.add(source.line(), row, source.text());
            }
            phases.lap("parse_validate_copy");
            quarantined += sink.finish(phases);
            return new BatchReport(batchId, schema.entity().wireName(), received, received - quarantined, quarantined,
                    reader.unknownFields(), "loaded");
        } catch (CharacterCodingException e) {
            throw new ProblemException(Problem.of(Response.Status.BAD_REQUEST, "unreadable-body",
                    "The body is not valid UTF-8 text"));
        }
    }

    /** Whether the keys of the batch's first valid rows neither repeat nor exist in staging. */
    private boolean firstKeysAreNew(Connection c, RecordSchema schema, BatchFormat format, SpooledBody spooled,
            Instant receivedAt) throws IOException, SQLException {
        KeyProbe probe = new KeyProbe(schema);
        pass(probe, schema, format, spooled, null, receivedAt, PROBE_ROWS, new LoadPhases());
        return !probe.repeated() && !DirectLoad.anyKeyExists(c, schema, probe.keys());
    }

    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
