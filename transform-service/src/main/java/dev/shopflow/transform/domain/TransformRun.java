package dev.shopflow.transform.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** A transform run as the API answers it: status, steps, audit outcome, published version, back-off. */
public record TransformRun(long runId, String kind, String status, Instant startedAt, Instant finishedAt,
        int batches, Long builtVersion, Long publishedVersion, JsonNode audit, List<Step> steps, String error,
        Integer consecutiveFailures, Instant retryAfter) {

    /** One step of a run; stored in the run's jsonb steps under these names. */
    public record Step(String step, @JsonProperty("duration_ms") long durationMs, long rows) {
    }

    /** The last finished run failed: automatic runs wait until {@code retryAfter}. */
    public record Backoff(long runId, int consecutiveFailures, Instant retryAfter, String error) {
    }
}
