package dev.shopflow.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts a real PostgreSQL (zonky embedded binaries, works as root, no Docker) for a Quarkus test
 * run, or uses the database named by SHOPFLOW_TEST_DB_URL when set.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        String external = System.getenv("SHOPFLOW_TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            return Map.of("shopflow.db.url", external,
                    "shopflow.db.user", System.getenv().getOrDefault("SHOPFLOW_TEST_DB_USER", "postgres"),
                    "shopflow.db.password", System.getenv().getOrDefault("SHOPFLOW_TEST_DB_PASSWORD", "postgres"));
        }
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
        return Map.of("shopflow.db.url", postgres.getJdbcUrl("postgres", "postgres"),
                "shopflow.db.user", "postgres",
                "shopflow.db.password", "postgres");
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
