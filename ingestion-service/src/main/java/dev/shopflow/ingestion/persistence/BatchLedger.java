package dev.shopflow.ingestion.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.JsonColumns;
import dev.shopflow.common.wire.BatchReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A load's writes to the batch ledger ({@code pipeline.batch}) and the raw copy that goes with it. They
 * stay JDBC on the load's own connection: the ledger row, the raw body (streamed) and the staging rows
 * (COPY, through the driver's CopyManager on that connection) commit or roll back as one transaction
 * the load drives itself. Reads of the ledger go through {@link BatchRepository}.
 */
@ApplicationScoped
public class BatchLedger {

    private final ObjectMapper mapper;

    BatchLedger(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Serializes loads of the same (entity, key) until the transaction ends. */
    public void lockKey(Connection c, String entity, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, entity + ':' + key);
            ps.execute();
        }
    }

    /** The batch an idempotency key already names: its report and the SHA-256 of its body (null for old batches). */
    public record KeptBatch(BatchReport report, String bodySha256) {
    }

    public Optional<KeptBatch> find(Connection c, String entity, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT r.report::text, b.body_sha256 FROM pipeline.batch b "
                + "JOIN raw.batch_body r USING (batch_id) WHERE b.entity = ? AND b.idempotency_key = ?")) {
            ps.setString(1, entity);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new KeptBatch(JsonColumns.read(mapper, rs.getString(1), BatchReport.class),
                        rs.getString(2))) : Optional.empty();
            }
        }
    }

    /** Opens the ledger entry (inside the load's transaction) and returns its arrival sequence. */
    public long open(Connection c, UUID batchId, String entity, String key, String contentType, long bodyBytes,
            String bodySha256, Instant receivedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, "
                + "status, received, loaded, quarantined, unknown_fields, content_type, body_bytes, received_at, loaded_at, "
                + "body_sha256) VALUES (?, ?, ?, 'loaded', 0, 0, 0, 0, ?, ?, ?, ?, ?) RETURNING batch_seq")) {
            ps.setObject(1, batchId);
            ps.setString(2, entity);
            ps.setString(3, key);
            ps.setString(4, contentType);
            ps.setLong(5, bodyBytes);
            ps.setTimestamp(6, Timestamp.from(receivedAt));
            ps.setTimestamp(7, Timestamp.from(receivedAt));
            ps.setString(8, bodySha256);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void complete(Connection c, BatchReport report, java.nio.file.Path gzippedBody)
            throws SQLException, java.io.IOException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline.batch SET received = ?, loaded = ?, "
                + "quarantined = ?, unknown_fields = ?, loaded_at = now() WHERE batch_id = ?")) {
            ps.setInt(1, report.received());
            ps.setInt(2, report.loaded());
            ps.setInt(3, report.quarantined());
            ps.setInt(4, report.unknownFields());
            ps.setObject(5, report.batchId());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw.batch_body (batch_id, content_encoding, body, "
                + "report) VALUES (?, 'gzip', ?, ?::jsonb)")) {
            ps.setObject(1, report.batchId());
            try (var body = java.nio.file.Files.newInputStream(gzippedBody)) {
                ps.setBinaryStream(2, body, java.nio.file.Files.size(gzippedBody));
                ps.setString(3, JsonColumns.write(mapper, report));
                ps.executeUpdate();
            }
        }
    }
}
