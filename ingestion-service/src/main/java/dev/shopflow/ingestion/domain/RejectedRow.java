package dev.shopflow.ingestion.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A quarantined row as the API shows it: the line as sent and why it was refused. */
public record RejectedRow(long id, UUID batchId, String entity, int lineNumber, String originalLine, JsonNode reasons,
        Instant receivedAt) {
}
