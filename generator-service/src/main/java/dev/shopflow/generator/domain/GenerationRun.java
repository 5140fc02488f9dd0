package dev.shopflow.generator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A generation run as the API answers it: status and progress (days done of total, rows pushed per entity). */
public record GenerationRun(UUID runId, String status, JsonNode params, int daysTotal, int daysDone,
        Map<String, Long> rowsPushed, Map<String, Integer> defects, String error, Instant createdAt, Instant finishedAt) {
}
