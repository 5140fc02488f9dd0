package dev.shopflow.ingestion.domain;

import dev.shopflow.common.wire.BatchStatus;
import java.time.Instant;
import java.util.UUID;

/** One row of the batch ledger as the API shows it. */
public record BatchEntry(UUID batchId, long batchSeq, String entity, String idempotencyKey, String status,
        int received, int loaded, int quarantined, int unknownFields, String contentType, long bodyBytes,
        Instant receivedAt, Instant loadedAt, Long transformRunId, Long publishedVersion) {

    /** The ledger states, in the order a batch moves through them (ARCHITECTURE.md). */
    public static final java.util.List<String> STATUSES = BatchStatus.wireNames();
}
