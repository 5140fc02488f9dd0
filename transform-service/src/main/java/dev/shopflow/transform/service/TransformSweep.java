package dev.shopflow.transform.service;

import dev.shopflow.common.db.SchemaMigrator;
import dev.shopflow.transform.persistence.BatchClaims;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** The safety net of the ledger flow: starts a run for loaded batches that no nudge delivered. */
@ApplicationScoped
public class TransformSweep {

    private static final Logger LOG = Logger.getLogger(TransformSweep.class);

    private final DataSource dataSource;
    private final BatchClaims claims;
    private final TransformRunner runner;
    private final SchemaMigrator migrator;
    private final TransformRuns runs;
    private final TransformMetrics metrics;

    TransformSweep(DataSource dataSource, BatchClaims claims, TransformRunner runner, SchemaMigrator migrator,
            TransformRuns runs, TransformMetrics metrics) {
        this.dataSource = dataSource;
        this.claims = claims;
        this.runner = runner;
        this.migrator = migrator;
        this.runs = runs;
        this.metrics = metrics;
    }

    @Scheduled(every = "${shopflow.transform.sweep-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!migrator.isMigrated()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            // the gauges follow the database, so every replica (and one just restarted) reports the
            // failures and the published version of whichever replica ran them
            metrics.consecutiveFailures(runs.consecutiveFailures());
            metrics.published(runs.servedVersion());
            if (claims.hasLoadedBatches(c)) {
                runner.tryStartAutomatic()
                        .ifPresent(id -> LOG.infof("Sweep started run %d for loaded batches", id));
            }
        } catch (SQLException | PersistenceException e) {
            LOG.warnf("Sweep could not check the ledger: %s", e.getMessage());
        }
    }
}
