package dev.shopflow.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * Applies another service's migrations, read from that module's sources with that module's own
 * Flyway settings, so a service's tests run against the real schemas it reads (e.g. transform
 * reads ingestion's staging) without copying them.
 */
public final class OwnerMigrations {

    private OwnerMigrations() {
    }

    public static void apply(String module, String url, String user, String password) {
        Path moduleDir = Path.of("..", module).toAbsolutePath().normalize();
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(moduleDir.resolve("src/main/resources/application.properties"))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the settings of " + module, e);
        }
        String location = props.getProperty("quarkus.flyway.locations");
        Flyway.configure()
                .dataSource(url, user, password)
                .locations("filesystem:" + moduleDir.resolve("src/main/resources").resolve(location))
                .schemas(props.getProperty("quarkus.flyway.schemas").split(","))
                .defaultSchema("pipeline")
                .table(props.getProperty("quarkus.flyway.table"))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
