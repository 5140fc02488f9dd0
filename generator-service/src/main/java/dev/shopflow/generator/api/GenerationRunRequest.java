package dev.shopflow.generator.api;

import java.time.LocalDate;

/** Body of {@code POST /api/v1/generation-runs}; all optional but {@code from}. */
public record GenerationRunRequest(LocalDate from, LocalDate to, Integer ordersPerDay, Long seed, Double defectRate) {
}
