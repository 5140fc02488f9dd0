package dev.shopflow.ingestion.service;

import dev.shopflow.common.testing.MariaDbServer;
import dev.shopflow.common.testing.ShopSchema;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * The same shop as {@link ShopSourceDatabase}, in a real MariaDB ({@link MariaDbServer}, Debian's
 * {@code mariadb-server}): DATETIME columns, CONCAT instead of ||, a read-only user. Writes a sources file
 * with the MariaDB forms of the mappings.
 */
public class MariaDbShopSource implements QuarkusTestResourceLifecycleManager {

    static MariaDbServer server;

    static final String SCHEMA = ShopSchema.MARIADB;

    static final String SOURCES = """
            sources:
              - name: shopmaria
                url: jdbc:mariadb://127.0.0.1:%d/shop
                user: shop_reader
                password_file: %s
                timezone: Europe/Berlin
                batch_rows: 3
                entities:
                  %3$s
            """;

    @Override
    public Map<String, String> start() {
        try {
            server = MariaDbServer.start();
            for (String statement : SCHEMA.split(";")) {
                shop(statement);
            }
            Path password = server.dir().resolve("reader-password");
            Files.writeString(password, MariaDbServer.READER_PASSWORD);
            Path file = server.dir().resolve("sources.yaml");
            Files.writeString(file, SOURCES.formatted(server.port(), password, ShopSchema.MARIADB_MAPPINGS.strip()));
            return Map.of("shopflow.sources.file", file.toString(), "shopflow.sources.retry-initial", "1h");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements on the shop's MariaDB, as the shop's own application would. */
    static void shop(String... statements) throws SQLException {
        server.execute(statements);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
