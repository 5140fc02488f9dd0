package dev.shopflow.common.wire;

import java.util.UUID;

/** What ingestion answers for a batch; {@code received = loaded + quarantined} always holds. */
public record BatchReport(UUID batchId, String entity, int received, int loaded, int quarantined, int unknownFields,
        String status) {
}
