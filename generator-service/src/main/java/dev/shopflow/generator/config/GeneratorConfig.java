package dev.shopflow.generator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The generator's settings (application.properties; SHOPFLOW_GENERATOR_* in the environment). */
@ConfigMapping(prefix = "shopflow.generator")
public interface GeneratorConfig {

    /** Rows per batch pushed to ingestion (one entity of one day is split into batches this size). */
    @WithDefault("5000")
    int batchRows();

    /** Heap the generation of days may take, MiB (GenerationMemory); unset: the heap less 128 MiB. */
    java.util.Optional<Long> memoryBudgetMib();

    /** The daily generation of yesterday (DailyGeneration). */
    Daily daily();

    interface Daily {

        /**
         * Quartz cron, or "off". Read by name in DailyGeneration's {@code @Scheduled}; named here too
         * because a key under a mapping's prefix that the mapping does not name fails validation.
         */
        @WithDefault("off")
        String cron();

        @WithDefault("500")
        int ordersPerDay();

        @WithDefault("42")
        long seed();

        /** Share of rows with injected defects, 0..1. */
        @WithDefault("0.0")
        double defectRate();
    }
}
