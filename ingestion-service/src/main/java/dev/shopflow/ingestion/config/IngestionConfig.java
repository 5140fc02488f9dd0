package dev.shopflow.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "shopflow.ingestion")
public interface IngestionConfig {

    /** Largest batch body accepted, in bytes; larger bodies get 413. */
    @WithDefault("268435456")
    long maxBodyBytes();
}
