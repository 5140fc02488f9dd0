package dev.shopflow.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One local platform for an end-to-end test class: {@code ./shopflow up} with its own state directory
 * and ports, the database's URLs and role passwords, a service's pid, and a service started directly
 * from its packaged jar beside the platform (a replica, a production-profile process).
 */
final class LocalPlatformFixture {

    static final Path ROOT = Path.of(System.getenv().getOrDefault("SHOPFLOW_REPO_ROOT", "..")).toAbsolutePath();
    static final String API_USER = "shopflow";
    static final String API_PASSWORD = "shopflow-dev";

    final Path state;
    final int basePort;
    final int dbPort;
    final Map<String, String> env;
    final PlatformClient client = new PlatformClient(API_USER, API_PASSWORD);

    LocalPlatformFixture(String name, int basePort, int dbPort, Map<String, String> env) {
        this.state = ROOT.resolve("local-platform/target/" + name);
        this.basePort = basePort;
        this.dbPort = dbPort;
        this.env = Map.copyOf(env);
    }

    /** A service's port: analytics-api at the base, then generator, ingestion, transform, quality. */
    int port(String service) {
        return basePort + List.of("analytics-api", "generator-service", "ingestion-service", "transform-service",
                "quality-service").indexOf(service);
    }

    String url(String service) {
        return "http://localhost:" + port(service);
    }

    int shopflow(String command) throws IOException, InterruptedException {
        return shopflow(command, Map.of());
    }

    /** {@code ./shopflow <command>} with this platform's state, ports and environment, plus {@code extraEnv}. */
    int shopflow(String command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        Files.createDirectories(state);
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("shopflow").toString(), command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("shopflow-" + command + ".out").toFile()));
        Map<String, String> e = pb.environment();
        e.put("SHOPFLOW_STATE_DIR", state.toString());
        e.put("SHOPFLOW_PORT_BASE", Integer.toString(basePort));
        e.put("SHOPFLOW_DB_PORT", Integer.toString(dbPort));
        e.remove("SHOPFLOW_DB_URL");
        e.putAll(env);
        e.putAll(extraEnv);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("./shopflow " + command + " did not finish");
        }
        return p.exitValue();
    }

    /** The embedded database's URL as its superuser (what the launcher wrote). */
    String adminUrl() throws IOException {
        return Files.readString(state.resolve("run/db.url")).strip();
    }

    /** The embedded database's URL without a user. */
    String databaseUrl() throws IOException {
        String admin = adminUrl();
        return admin.substring(0, admin.indexOf('?'));
    }

    String rolePassword(String serviceKey) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(state.resolve("db-roles.properties"))) {
            p.load(r);
        }
        return p.getProperty(serviceKey);
    }

    long pid(String service) throws IOException {
        return Long.parseLong(Files.readString(state.resolve("run/" + service + ".pid")).strip());
    }

    /**
     * Starts a service's packaged app beside the platform, on its own port, connected as the service's
     * role, in the production profile unless the environment says otherwise; output to {@code log}.
     */
    Process startDirectly(String service, int port, Path log, Map<String, String> extraEnv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar",
                ROOT.resolve(service + "/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        String key = service.substring(0, service.indexOf('-'));
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("SHOPFLOW_") || k.startsWith("QUARKUS_"));
        e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        e.put("SHOPFLOW_DB_URL", databaseUrl());
        e.put("SHOPFLOW_DB_USER", "shopflow_" + key);
        e.put("SHOPFLOW_DB_PASSWORD", rolePassword(key));
        e.put("SHOPFLOW_API_USER", API_USER);
        e.put("SHOPFLOW_API_PASSWORD", API_PASSWORD);
        e.put("SHOPFLOW_INGESTION_URL", url("ingestion-service"));
        e.put("SHOPFLOW_TRANSFORM_URL", url("transform-service"));
        e.put("SHOPFLOW_QUALITY_URL", url("quality-service"));
        e.putAll(new HashMap<>(extraEnv));
        return pb.start();
    }

    void awaitReady(String baseUrl, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.allReady(List.of(baseUrl))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(baseUrl + " not ready within " + timeout);
            }
            Thread.sleep(300);
        }
    }

    /** Waits until a stopped process has exited (it closes its port first). */
    static void awaitExit(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(60, TimeUnit.SECONDS);
        }
    }
}
