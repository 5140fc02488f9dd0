package dev.shopflow.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A throwaway PostgreSQL for local mode (zonky embedded binaries from Maven Central; runs as root
 * too). Writes the JDBC URL to the ready file once accepting connections, and stops the server
 * when this process is terminated.
 */
final class LocalDatabase {

    private LocalDatabase() {
    }

    static int run(Options options) throws IOException, InterruptedException {
        int port = Integer.parseInt(options.get("port", "15432"));
        Path data = Path.of(options.require("data"));
        Path ready = Path.of(options.require("ready-file"));
        Files.createDirectories(data);
        Files.deleteIfExists(ready);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "200")
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("Could not stop PostgreSQL cleanly: " + e.getMessage());
            }
            stopped.countDown();
        }));
        String url = postgres.getJdbcUrl("postgres", "postgres");
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, url + "\n");
        Files.move(tmp, ready);
        System.out.println("PostgreSQL ready at " + url);
        stopped.await();
        return 0;
    }
}
