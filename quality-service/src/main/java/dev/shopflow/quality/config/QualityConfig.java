package dev.shopflow.quality.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "shopflow.quality")
public interface QualityConfig {

    /** Path of the YAML checks file (SHOPFLOW_QUALITY_CHECKS_FILE); empty: the shipped defaults. */
    Optional<String> checksFile();
}
