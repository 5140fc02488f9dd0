package dev.shopflow.analytics.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Analytics owns no migrations; it is ready once transform's published-version table exists. */
@Readiness
@ApplicationScoped
public class PublishedMartsReadinessCheck implements HealthCheck {

    private final DataSource dataSource;

    PublishedMartsReadinessCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("published-marts");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('pipeline.published_version') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1) ? builder.up().build()
                    : builder.down().withData("reason", "marts schema not migrated yet (transform-service)").build();
        } catch (SQLException e) {
            return builder.down().withData("reason", e.getMessage()).build();
        }
    }
}
