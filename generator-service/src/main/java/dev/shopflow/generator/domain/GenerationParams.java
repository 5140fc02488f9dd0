package dev.shopflow.generator.domain;

import java.time.LocalDate;

/** What a run generates; the same parameters give the same records, byte for byte. */
public record GenerationParams(LocalDate from, LocalDate to, int ordersPerDay, long seed, double defectRate) {

    public static final int DEFAULT_ORDERS_PER_DAY = 500;
    public static final long DEFAULT_SEED = 42;

    /** Part of every idempotency key; the leading model version changes whenever the same parameters give other data. */
    public String fingerprint() {
        return "v2:" + ordersPerDay + ":" + seed + ":" + defectRate;
    }
}
