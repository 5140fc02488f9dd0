package dev.shopflow.transform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "shopflow.transform")
public interface TransformConfig {

    /** Mart versions kept besides the published one; older versions are deleted when a new one is published. */
    @WithDefault("3")
    int versionsKept();

    /**
     * Period of the sweep that starts a run for loaded batches no nudge delivered. Read by name in
     * TransformSweep's {@code @Scheduled}, not through this method; it stays because a key under a
     * mapping's prefix that the mapping does not name fails Quarkus's config validation (SRCFG00050).
     */
    @WithDefault("30s")
    String sweepEvery();

    /** Wait before the first automatic run after a failed one; doubled per failure in a row. */
    @WithDefault("5s")
    java.time.Duration failureBackoff();

    /** The longest wait between automatic runs after failures. */
    @WithDefault("10m")
    java.time.Duration failureBackoffMax();
}
