package dev.shopflow.ingestion.persistence;

import dev.shopflow.common.wire.BatchStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** One row of the batch ledger as the API shows it. */
public record BatchEntry(UUID batchId, long batchSeq, String entity, String idempotencyKey, String status,
        int received, int loaded, int quarantined, int unknownFields, String contentType, long bodyBytes,
        Instant receivedAt, Instant loadedAt, Long transformRunId, Long publishedVersion) {

    /** The ledger states, in the order a batch moves through them (ARCHITECTURE.md). */
    public static final java.util.List<String> STATUSES = BatchStatus.wireNames();

    static BatchEntry from(ResultSet rs) throws SQLException {
        return new BatchEntry(rs.getObject("batch_id", UUID.class), rs.getLong("batch_seq"), rs.getString("entity"),
                rs.getString("idempotency_key"), rs.getString("status"), rs.getInt("received"), rs.getInt("loaded"),
                rs.getInt("quarantined"), rs.getInt("unknown_fields"), rs.getString("content_type"),
                rs.getLong("body_bytes"), rs.getTimestamp("received_at").toInstant(),
                rs.getTimestamp("loaded_at").toInstant(), rs.getObject("transform_run_id", Long.class),
                rs.getObject("published_version", Long.class));
    }
}
