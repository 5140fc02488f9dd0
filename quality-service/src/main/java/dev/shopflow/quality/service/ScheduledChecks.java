package dev.shopflow.quality.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs the staging checks on a schedule (SHOPFLOW_QUALITY_STAGING_CHECKS_EVERY, "off" to disable),
 * so late references, volume drops and stale loads show up between transform runs too.
 */
@ApplicationScoped
public class ScheduledChecks {

    private static final Logger LOG = Logger.getLogger(ScheduledChecks.class);

    private final CheckRunService runner;

    ScheduledChecks(CheckRunService runner) {
        this.runner = runner;
    }

    @Scheduled(identity = "staging-checks", every = "${shopflow.quality.staging-checks-every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void stagingChecks() {
        try {
            var result = runner.run("staging", Map.of("trigger", "schedule"));
            LOG.infof("Scheduled staging checks: %s (run %d)", result.status(), result.runId());
        } catch (Exception e) {
            LOG.warnf("Scheduled staging checks could not run: %s", e.getMessage());
        }
    }
}
