package dev.shopflow.common.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB for tests of sources (Debian's {@code mariadb-server}, installed by {@code ./shopflow
 * test}): a data directory of its own, started on a free port, with a database {@code shop}, an admin
 * user that writes it and a read-only user a source connects as. The ingestion tests and the
 * end-to-end platform share it.
 */
public final class MariaDbServer implements AutoCloseable {

    public static final String READER = "shop_reader";
    public static final String READER_PASSWORD = "reader-secret";

    private final Path dir;
    private final List<String> command;
    private final int port;
    private volatile Process server;

    private MariaDbServer(Path dir, List<String> command, int port) {
        this.dir = dir;
        this.command = command;
        this.port = port;
    }

    public static MariaDbServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("shopflow-mariadb-");
        Path data = dir.resolve("data");
        Path socket = dir.resolve("mysqld.sock");
        run(List.of(tool("mariadb-install-db"), "--no-defaults", "--datadir=" + data, "--user=root",
                "--auth-root-authentication-method=socket", "--skip-test-db"), dir.resolve("install.log"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(tool("mariadbd"), "--no-defaults", "--datadir=" + data,
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + socket, "--user=root",
                "--pid-file=" + dir.resolve("mariadb.pid"), "--skip-log-bin", "--innodb-buffer-pool-size=16M",
                "--skip-name-resolve", "--log-error=" + dir.resolve("error.log")));
        MariaDbServer m = new MariaDbServer(dir, List.copyOf(command), port);
        m.startAgain();
        run(List.of(tool("mariadb"), "--no-defaults", "--socket=" + socket, "-uroot", "-e",
                "CREATE DATABASE shop CHARACTER SET utf8mb4; "
                        + "CREATE USER 'shop_admin'@'127.0.0.1' IDENTIFIED BY 'admin-secret'; "
                        + "GRANT ALL ON shop.* TO 'shop_admin'@'127.0.0.1'; "
                        + "CREATE USER '" + READER + "'@'127.0.0.1' IDENTIFIED BY '" + READER_PASSWORD + "'; "
                        + "GRANT SELECT ON shop.* TO '" + READER + "'@'127.0.0.1';"), dir.resolve("users.log"));
        return m;
    }

    /** Starts the server (again, after {@link #close()}) on its data and port. */
    public void startAgain() throws IOException, InterruptedException {
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        awaitPort();
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** The JDBC URL of the database {@code shop}. */
    public String url() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/shop";
    }

    /** Runs statements on {@code shop} as its admin (a {@code shop.} qualifier is dropped: PostgreSQL's schema, MariaDB's database). */
    public void execute(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), "shop_admin", "admin-secret"); Statement st = c.createStatement()) {
            for (String s : statements) {
                if (!s.isBlank()) {
                    st.execute(s.replace("shop.", ""));
                }
            }
        }
    }

    private static String tool(String name) {
        for (String d : new String[] {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException(name + " is not installed: the MariaDB source tests need Debian's mariadb-server "
                + "(./shopflow test installs it; or: apt-get install mariadb-server)");
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
        }
    }

    private void awaitPort() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("mariadbd stopped:\n" + Files.readString(dir.resolve("server.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("mariadbd did not open port " + port);
    }

    /** Stops the server (SIGTERM, as a service manager would); its data stays for {@link #startAgain()}. */
    @Override
    public void close() {
        Process server = this.server;
        if (server == null) {
            return;
        }
        server.destroy();
        try {
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
