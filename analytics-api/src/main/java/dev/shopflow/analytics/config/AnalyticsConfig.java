package dev.shopflow.analytics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** analytics-api's settings (application.properties; SHOPFLOW_ANALYTICS_* in the environment). */
@ConfigMapping(prefix = "shopflow.analytics")
public interface AnalyticsConfig {

    /** Cache-Control max-age of KPI answers, seconds; clients revalidate with If-None-Match afterwards. */
    @WithDefault("60")
    int maxAge();

    /** How often the published version is re-read (0s: on every request, for tests). */
    @WithDefault("1s")
    Duration versionCheckEvery();

    /** Answering from the published version prepared in memory (docs/analytics.md). */
    Prepare prepare();

    interface Prepare {

        @WithDefault("true")
        boolean enabled();

        /** Versions with more mart rows are answered by SQL; unset: the heap's size / 192 bytes. */
        Optional<Long> maxRows();
    }
}
