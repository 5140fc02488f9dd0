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

        /**
         * Heap kept free for everything but the prepared versions (the application, requests' working
         * memory, the answer cache) while a version is prepared: a version is prepared only when loading
         * and building it fits in the heap's size minus the served version minus this. MiB.
         */
        @WithDefault("48")
        long headroomMib();
    }

    /** The cache of serialized answers, bounded by bytes (AnswerCache). */
    AnswerCacheConfig answerCache();

    interface AnswerCacheConfig {

        @WithDefault("16")
        long maxMib();

        /** Larger answers are sent but not cached (a 10,000-day series is about 850 KiB). */
        @WithDefault("256")
        long maxEntryKib();

        @WithDefault("30m")
        Duration expireAfterWrite();
    }
}
