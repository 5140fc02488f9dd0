package dev.shopflow.generator.service;

import dev.shopflow.generator.config.GeneratorConfig;
import dev.shopflow.generator.domain.GenerationParams;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Generates "yesterday" (UTC) every day at {@code shopflow.generator.daily.cron}, for deployments
 * without a Kubernetes CronJob. Off unless a cron is set. Re-running a day loads nothing twice: the
 * batches' idempotency keys follow from the parameters and the day.
 */
@ApplicationScoped
public class DailyGeneration {

    private static final Logger LOG = Logger.getLogger(DailyGeneration.class);

    private final GenerationService generation;
    private final int ordersPerDay;
    private final long seed;
    private final double defectRate;

    DailyGeneration(GenerationService generation, GeneratorConfig config) {
        this.generation = generation;
        this.ordersPerDay = config.daily().ordersPerDay();
        this.seed = config.daily().seed();
        this.defectRate = config.daily().defectRate();
    }

    @Scheduled(identity = "daily-generation", cron = "${shopflow.generator.daily.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void generateYesterday() throws Exception {
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        var started = generation.start(new GenerationParams(yesterday, yesterday, ordersPerDay, seed, defectRate));
        LOG.infof("Daily generation of %s started: run %s", yesterday, started.runId());
    }
}
