package dev.shopflow.quality.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "shopflow.quality")
public interface QualityConfig {

    /** Path of the YAML checks file (SHOPFLOW_QUALITY_CHECKS_FILE); empty: the shipped defaults. */
    Optional<String> checksFile();

    /** How often the staging checks run on their own (SHOPFLOW_QUALITY_STAGING_CHECKS_EVERY, e.g. 15m; "off"). */
    String stagingChecksEvery();

    /** How often the freshness gauges re-read the latest load and publish times. */
    String freshnessEvery();
}
