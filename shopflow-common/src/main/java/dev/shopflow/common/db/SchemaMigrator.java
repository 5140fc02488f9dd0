package dev.shopflow.common.db;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Applies this service's Flyway migrations. The service starts even when the database is not
 * reachable yet; it then keeps retrying in the background and stays not-ready until done
 * (see {@link MigrationReadinessCheck}). All services share one database, so migrations are
 * serialized across services and replicas by a PostgreSQL advisory lock: two services creating
 * the shared {@code pipeline} schema at the same moment would otherwise race.
 */
@ApplicationScoped
@IfBuildProperty(name = "shopflow.schema-owner", stringValue = "true", enableIfMissing = true)
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);
    /** Arbitrary constant shared by every ShopFlow service: "shopflow migrations". */
    static final long MIGRATION_LOCK = 0x5350_4D49_4752L;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Flyway flyway;
    private final DataSource dataSource;
    private volatile boolean migrated;
    private volatile String lastError = "not started";

    SchemaMigrator(Flyway flyway, DataSource dataSource) {
        this.flyway = flyway;
        this.dataSource = dataSource;
    }

    void onStart(@Observes StartupEvent event) {
        if (tryMigrate()) {
            return;
        }
        Thread retry = new Thread(this::retryUntilMigrated, "schema-migrator");
        retry.setDaemon(true);
        retry.start();
    }

    public boolean isMigrated() {
        return migrated;
    }

    public String lastError() {
        return lastError;
    }

    private void retryUntilMigrated() {
        long backoffMillis = 500;
        while (!migrated) {
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            tryMigrate();
        }
    }

    private synchronized boolean tryMigrate() {
        try (Connection lockConnection = dataSource.getConnection(); Statement st = lockConnection.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            try {
                var result = flyway.migrate();
                LOG.infof("Database migrated: %d migration(s) applied, schema version %s",
                        result.migrationsExecuted, result.targetSchemaVersion);
            } finally {
                st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
            migrated = true;
            lastError = null;
            return true;
        } catch (SQLException | RuntimeException e) {
            lastError = e.getMessage();
            LOG.warnf("Database not migrated yet (%s); will retry", e.getMessage());
            return false;
        }
    }
}
