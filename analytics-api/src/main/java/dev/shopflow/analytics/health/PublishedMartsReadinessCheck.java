package dev.shopflow.analytics.health;

import dev.shopflow.analytics.service.PublishedVersions;
import dev.shopflow.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Analytics owns no migrations; it is ready once transform's published-version table exists and the
 * published version, if there is one, is prepared (the first check prepares it, so no request pays).
 */
@Readiness
@ApplicationScoped
public class PublishedMartsReadinessCheck implements HealthCheck {

    private final DataSource dataSource;
    private final PublishedVersions versions;

    PublishedMartsReadinessCheck(DataSource dataSource, PublishedVersions versions) {
        this.dataSource = dataSource;
        this.versions = versions;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("published-marts");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('pipeline.published_version') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return builder.down().withData("reason", "marts schema not migrated yet (transform-service)").build();
            }
            try {
                builder.withData("version", versions.current().version());
            } catch (ProblemException nothingPublishedYet) {
                builder.withData("version", "none published yet");
            }
            return builder.up().build();
        } catch (SQLException e) {
            return builder.down().withData("reason", e.getMessage()).build();
        }
    }
}
