package dev.shopflow.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Sources (docs/sources.md): SHOPFLOW_SOURCES_FILE and the retry of failed runs. */
@ConfigMapping(prefix = "shopflow.sources")
public interface SourcesConfig {

    /** The sources file (YAML); unset: no sources. */
    Optional<String> file();

    /** First wait before a failed run is retried; doubled per failure in a row, at most {@link #retryMax()}. */
    @WithDefault("30s")
    Duration retryInitial();

    @WithDefault("10m")
    Duration retryMax();
}
