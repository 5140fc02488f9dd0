package dev.shopflow.common.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a batch of the ledger (pipeline.batch.status) stands: ingestion writes {@code loaded};
 * transform moves the batches it claims to {@code transformed}, then {@code published} or
 * {@code audit_failed} (docs/architecture.md).
 */
public enum BatchStatus {
    LOADED, TRANSFORMED, PUBLISHED, AUDIT_FAILED;

    /** The name in the database and on the wire ("audit_failed"). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BatchStatus> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(BatchStatus::wireName).toList();
    }
}
