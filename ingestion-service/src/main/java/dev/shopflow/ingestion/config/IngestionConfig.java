package dev.shopflow.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "shopflow.ingestion")
public interface IngestionConfig {

    /** Largest batch body accepted, in bytes (default 1 GiB); larger bodies get 413 before anything is written. */
    @WithDefault("1073741824")
    long maxBodyBytes();
}
