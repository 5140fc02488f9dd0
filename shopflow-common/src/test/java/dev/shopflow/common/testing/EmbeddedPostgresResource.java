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

    /** Init arg: comma-separated modules whose migrations are applied first (schemas this service reads). */
    public static final String OWNERS = "apply-migrations-of";

    private EmbeddedPostgres postgres;
    private String owners = "";

    @Override
    public void init(Map<String, String> initArgs) {
        owners = initArgs.getOrDefault(OWNERS, "");
    }

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
        String url = postgres.getJdbcUrl("postgres", "postgres");
        for (String owner : owners.split(",")) {
            if (!owner.isBlank()) {
                OwnerMigrations.apply(owner.strip(), url, "postgres", "postgres");
            }
        }
        return Map.of("shopflow.db.url", url,
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
