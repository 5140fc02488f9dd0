package dev.shopflow.common.wire;

import java.time.LocalDate;

/** Body of {@code POST /api/v1/transform-runs}: empty for an incremental run, or a range to rebuild. */
public record TransformRunRequest(Range rebuild) {

    public record Range(LocalDate from, LocalDate to) {
    }

    public static TransformRunRequest incremental() {
        return new TransformRunRequest(null);
    }
}
