package dev.shopflow.common.db;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until this service's migrations are applied (the datasource check covers reachability). */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "shopflow.schema-owner", stringValue = "true", enableIfMissing = true)
public class MigrationReadinessCheck implements HealthCheck {

    private final SchemaMigrator migrator;

    MigrationReadinessCheck(SchemaMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("database-migrations");
        return migrator.isMigrated() ? builder.up().build()
                : builder.down().withData("error", String.valueOf(migrator.lastError())).build();
    }
}
