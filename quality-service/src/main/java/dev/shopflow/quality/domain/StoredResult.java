package dev.shopflow.quality.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A check result of the history, as {@code GET /api/v1/check-results} answers it. */
public record StoredResult(long resultId, long runId, String check, String layer, String severity, String status,
        long failingRows, List<Map<String, Object>> sample, Map<String, Object> scope, Instant checkedAt) {
}
