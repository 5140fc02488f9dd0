package dev.shopflow.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for local mode (zonky embedded binaries from Maven Central; runs as root
 * too). Writes the JDBC URL to the ready file once accepting connections, and stops the server
 * when this process is terminated. Starts empty unless {@code --keep-data true}. With
 * {@code --roles-file}, creates the per-service roles in a fresh cluster (see {@link DatabaseRoles}).
 */
final class LocalDatabase {

    private LocalDatabase() {
    }

    static int run(Options options) throws IOException, InterruptedException {
        int port = Integer.parseInt(options.get("port", "15432"));
        Path data = Path.of(options.require("data"));
        Path ready = Path.of(options.require("ready-file"));
        boolean keepData = Boolean.parseBoolean(options.get("keep-data", "false"));
        if (!keepData) {
            // a fresh database: what a killed launcher left behind would make initdb refuse the directory
            deleteRecursively(data);
        }
        Files.createDirectories(data);
        Files.deleteIfExists(ready);
        // zonky runs initdb when the directory holds no cluster yet
        boolean fresh = !Files.exists(data.resolve("postgresql.conf"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (Boolean.parseBoolean(options.get("logical", "false"))) {
            // a shop's database followed by change data capture (bench/sources.sh): logical decoding, slots
            builder.setServerConfig("wal_level", "logical").setServerConfig("max_wal_senders", "4")
                    .setServerConfig("max_replication_slots", "4");
        }
        EmbeddedPostgres postgres = builder
                .setPort(port)
                .setDataDirectory(data)
                // never deleted on stop: a stopped database restarts on its data (keep-data); ./shopflow down deletes it
                .setCleanDataDirectory(false)
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
        String rolesFile = options.get("roles-file", "");
        // the roles live in the cluster: a restart on kept data has them (re-granting while autovacuum
        // updates the same catalog rows can fail with "tuple concurrently updated")
        if (!rolesFile.isEmpty() && fresh) {
            DatabaseRoles.apply(url, Path.of(rolesFile));
        }
        Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(tmp, url + "\n");
        Files.move(tmp, ready);
        System.out.println("PostgreSQL ready at " + url);
        stopped.await();
        return 0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
