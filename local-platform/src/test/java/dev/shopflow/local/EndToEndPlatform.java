package dev.shopflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole platform as a user runs it, shared by the end-to-end classes (KpiContractIT, FaultIT,
 * SecurityIT): {@code ./shopflow up} starts one embedded PostgreSQL and the five packaged services as
 * separate processes talking real HTTP, and a real Prometheus scrapes them. The constants, clients and
 * helpers every class uses are here; the classes run in their {@code @Order}, their tests in theirs.
 */
@ExtendWith(EndToEndPlatform.Shared.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EndToEndPlatform {

    static final Path ROOT = Path.of(System.getenv().getOrDefault("SHOPFLOW_REPO_ROOT", "..")).toAbsolutePath();
    static final Path STATE = ROOT.resolve("local-platform/target/e2e-state");
    static final int BASE_PORT = 18080;
    static final int DB_PORT = 25432;
    static final String ANALYTICS = "http://localhost:" + BASE_PORT;
    static final String GENERATOR = "http://localhost:" + (BASE_PORT + 1);
    static final String INGESTION = "http://localhost:" + (BASE_PORT + 2);
    static final String QUALITY = "http://localhost:" + (BASE_PORT + 4);
    static final Path CHECKS = STATE.resolve("checks.yaml");
    /**
     * The sources file: a shop's PostgreSQL followed by change data capture, its MariaDB and a folder of
     * its CSV exports ({@link ShopSources}, started before the platform). They stay empty until SourcesIT
     * fills them; until then ingestion exports the sources' metrics (at 0), so the dashboards' and alerts'
     * queries on them are checked too.
     */
    static final Path SOURCES = STATE.resolve("sources.yaml");
    static ShopSources shop;
    /** The shipped checks plus an error check of the audit that fails once an order named poison-* is staged. */
    static final String POISON_CHECK = """
              - name: no_poison_orders
                kind: custom_sql
                layer: warehouse
                severity: error
                sql: SELECT order_id FROM staging.orders WHERE order_id LIKE 'poison-%'
            """;
    static final List<Integer> PORTS = List.of(BASE_PORT, BASE_PORT + 1, BASE_PORT + 2, BASE_PORT + 3, BASE_PORT + 4);
    static final LocalDate FROM = LocalDate.of(2025, 3, 3);
    static final LocalDate TO = LocalDate.of(2025, 3, 9);

    static final String API_PASSWORD = "shopflow-dev";
    static final PlatformClient client = new PlatformClient("shopflow", API_PASSWORD);
    static final String BASIC_AUTH = PlatformClient.basic("shopflow", API_PASSWORD);
    static final int PROMETHEUS_PORT = 19090;
    static final Path CHART_FILES = ROOT.resolve("helm/shopflow/files");
    static ScrapingPrometheus prometheus;

    /** The platform every end-to-end class shares (started once, stopped after the last class). */
    static final LocalPlatformFixture PLATFORM = new LocalPlatformFixture("e2e-state", BASE_PORT, DB_PORT, Map.of(
            "SHOPFLOW_QUALITY_CHECKS_FILE", CHECKS.toString(),
            "SHOPFLOW_SOURCES_FILE", SOURCES.toString(),
            // the capture starts again soon after the fault tests stop ShopFlow's database
            "SHOPFLOW_SOURCES_RETRY_INITIAL", "2s", "SHOPFLOW_SOURCES_RETRY_MAX", "10s",
            // answers follow a publish at once (by default analytics re-reads the version every second)
            "SHOPFLOW_ANALYTICS_VERSION_CHECK_EVERY", "0s"));

    static int shopflow(String command) throws IOException, InterruptedException {
        return PLATFORM.shopflow(command);
    }

    static int shopflow(String command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        return PLATFORM.shopflow(command, extraEnv);
    }

    static void awaitExit(long pid) throws Exception {
        LocalPlatformFixture.awaitExit(pid);
    }

    /**
     * Sends a service the signal ("-9", "-TERM") and waits until its process has exited and its port
     * is free: gone, not only deaf, since ./shopflow up starts only what is not alive.
     */
    static void stopService(String service, String signal) throws Exception {
        long pid = PLATFORM.pid(service);
        assertThat(new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor()).isZero();
        awaitExit(pid);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (listening(PLATFORM.port(service)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(listening(PLATFORM.port(service))).as("%s's port freed", service).isFalse();
    }

    static String rolePassword(String service) throws IOException {
        return PLATFORM.rolePassword(service);
    }

    /** The embedded database's URL without its superuser (the launcher writes it with ?user=postgres). */
    static String databaseUrl() throws IOException {
        return PLATFORM.databaseUrl();
    }

    /**
     * Starts the shared platform before the first end-to-end class and stops it after the last one
     * (the root context's store closes it when the whole run ends), so the classes split by theme
     * (KPI contract, faults, security) run against one platform in one order.
     */
    static final class Shared implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent("shopflow-e2e-platform", k -> start(), Running.class);
        }

        static Running start() {
            try {
                Files.createDirectories(STATE);
                Files.writeString(CHECKS, Files.readString(ROOT.resolve(
                        "quality-service/src/main/resources/checks/default-checks.yaml")) + POISON_CHECK);
                shop = ShopSources.start(STATE, SOURCES);
                // down keeps the local data: a rerun on this machine starts from none
                assertThat(shopflow("reset")).isZero();
                assertThat(shopflow("up")).as("./shopflow up (see %s)", STATE).isZero();
                prometheus = new ScrapingPrometheus(STATE.resolve("prometheus"), PROMETHEUS_PORT, Map.of("analytics-api",
                        BASE_PORT, "generator-service", BASE_PORT + 1, "ingestion-service", BASE_PORT + 2,
                        "transform-service", BASE_PORT + 3, "quality-service", BASE_PORT + 4));
                return new Running();
            } catch (Exception e) {
                throw new IllegalStateException("the end-to-end platform did not start", e);
            }
        }
    }

    /**
     * The running platform; closing it stops Prometheus and ./shopflow down, and checks the ports are
     * free. AutoCloseable too: newer JUnit closes store values through it (and warns otherwise).
     */
    static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        @Override
        public void close() throws Exception {
            if (prometheus != null) {
                prometheus.close();
            }
            assertThat(shopflow("down")).isZero();
            if (shop != null) {
                shop.close();
            }
            for (int port : PORTS) {
                assertThat(listening(port)).as("port %d freed", port).isFalse();
            }
            assertThat(listening(DB_PORT)).as("database port freed").isFalse();
        }
    }

    static boolean listening(int port) {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static long ledgerRows(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pipeline.batch");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long scalar(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Starts a generation run and returns its id once three of its batches are in the ledger. */
    static String startRunAndAwaitBatches(String params, String keys, String url) throws Exception {
        PlatformClient.Reply started = client.post(GENERATOR + "/api/v1/generation-runs", "{" + params + "}", true,
                Duration.ofSeconds(30));
        assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (scalar(url, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE '" + keys + "'") < 3
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return started.body().path("run_id").asText();
    }

    /** The generation run once it is no longer queued or running (at most five minutes). */
    static JsonNode awaitRunEnd(String runId) throws Exception {
        JsonNode run = client.get(GENERATOR + "/api/v1/generation-runs/" + runId).body();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (Set.of("queued", "running").contains(run.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            run = client.get(GENERATOR + "/api/v1/generation-runs/" + runId).body();
        }
        return run;
    }

    /**
     * The order lines staged by the batches with these idempotency keys are exactly those the dataset
     * endpoint gives for the same parameters: none lost, none extra, none twice.
     */
    static void assertStagingHoldsExactlyTheGeneratedOrderLines(String params, String keys, String url) throws Exception {
        String csv = client.get(GENERATOR + "/api/v1/datasets/order_items?" + params.replace("\"", "").replace(":", "=")
                .replace(",", "&")).body().asText();
        Set<String> lines = new HashSet<>();
        csv.lines().skip(1).forEach(l -> {
            String[] f = l.split(",");
            lines.add(f[0] + "#" + f[1]);
        });
        assertThat(lines).hasSizeGreaterThan(5_000);
        List<String> staged = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT order_id || '#' || line_number FROM staging.order_items "
                        + "WHERE batch_seq IN (SELECT batch_seq FROM pipeline.batch WHERE idempotency_key LIKE ?)")) {
            ps.setString(1, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    staged.add(rs.getString(1));
                }
            }
        }
        assertThat(staged).as("no line twice").doesNotHaveDuplicates();
        assertThat(new HashSet<>(staged)).as("no line lost, none extra").isEqualTo(lines);
        assertThat(scalar(url, "SELECT count(*) FROM (SELECT idempotency_key FROM pipeline.batch "
                + "WHERE idempotency_key LIKE '" + keys + "' GROUP BY 1 HAVING count(*) > 1) d")).as("one ledger row per key")
                .isZero();
    }

    /** Starts a transform run (waiting while the sweep or a chained run holds the lock: 409); its id. */
    static long startRun(String transform, String body) throws Exception {
        PlatformClient.Reply started = client.post(transform + "/api/v1/transform-runs", body, true, Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        // 409: a run holds the lock; 503: the back-off after a failed run (a test that stopped the database)
        while ((started.status() == 409 || started.status() == 503) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            started = client.post(transform + "/api/v1/transform-runs", body, true, Duration.ofSeconds(30));
        }
        assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
        return started.body().path("run_id").asLong();
    }

    /** Starts a transform run and waits for it to succeed; its id. */
    static long awaitRun(String transform, String body) throws Exception {
        long runId = startRun(transform, body);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode run = client.get(transform + "/api/v1/transform-runs/" + runId).body();
        while ("running".equals(run.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(300);
            run = client.get(transform + "/api/v1/transform-runs/" + runId).body();
        }
        assertThat(run.path("status").asText()).as("%s", run).isEqualTo("succeeded");
        return runId;
    }

    /**
     * A generation run hit by a fault either succeeded, or failed cleanly (it gave up while a service
     * or the database was away); then running the same parameters again completes it.
     */
    static void awaitRunOrRunAgain(String runId, String params) throws Exception {
        JsonNode run = awaitRunEnd(runId);
        if (!"succeeded".equals(run.path("status").asText())) {
            assertThat(run.path("status").asText()).as("%s", run).isEqualTo("failed");
            PlatformClient.Reply again = client.post(GENERATOR + "/api/v1/generation-runs?wait=true", "{" + params + "}", true,
                    Duration.ofMinutes(5));
            assertThat(again.status()).as("%s", again.body()).isEqualTo(200);
        }
    }

    /** Waits until a run is inside its build transaction: its first step recorded, still running (20 s at most). */
    static void awaitFirstStep(String transform, long runId) throws Exception {
        long into = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode run = client.get(transform + "/api/v1/transform-runs/" + runId).body();
        while (run.path("steps").isEmpty() && "running".equals(run.path("status").asText()) && System.nanoTime() < into) {
            Thread.sleep(20);
            run = client.get(transform + "/api/v1/transform-runs/" + runId).body();
        }
    }

    /** The marts the run {@code next} published equal, row for row, those of a clean rebuild run now. */
    static void assertSameMartsAsACleanRebuild(String url, String transform, long next, List<String> marts) throws Exception {
        long afterFault = scalar(url, "SELECT max(version) FROM pipeline.published_version WHERE run_id = " + next);
        long clean = scalar(url, "SELECT max(version) FROM pipeline.published_version WHERE run_id = "
                + awaitRun(transform, "{\"rebuild\":{}}"));
        for (String mart : marts) {
            assertThat(martRows(url, mart, afterFault)).as(mart).isNotEmpty().isEqualTo(martRows(url, mart, clean));
        }
    }

    static List<String> martRows(String url, String mart, long version) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM marts." + mart + " WHERE version_from <= " + version
                        + " AND version_to > " + version)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    String column = rs.getMetaData().getColumnName(i);
                    if (!column.startsWith("version_")) {
                        row.append(column).append('=').append(rs.getString(i)).append(' ');
                    }
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    static String text(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    static int post(String transform) {
        try {
            return client.post(transform + "/api/v1/transform-runs", "{\"rebuild\":{}}", true, Duration.ofSeconds(30)).status();
        } catch (Exception e) {
            return -1;
        }
    }

    /** As shopflow_bi: the published version, revenue, orders, units and customers of FROM..TO, warehouse_pending. */
    static List<String> biFigures() throws Exception {
        String range = " WHERE order_date BETWEEN '" + FROM + "' AND '" + TO + "'";
        try (Connection c = DriverManager.getConnection(roleUrl("bi"))) {
            List<String> figures = new ArrayList<>(strings(c, "SELECT version::text FROM bi.published_version"));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(sum(revenue), 0)::numeric(20,2)::text, "
                    + "coalesce(sum(orders), 0)::text, coalesce(sum(units), 0)::text FROM bi.daily_sales" + range)) {
                rs.next();
                figures.addAll(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            figures.addAll(strings(c, "SELECT count(DISTINCT customer_id)::text FROM bi.customer_daily" + range));
            figures.addAll(strings(c, "SELECT warehouse_pending::text FROM bi.published_version"));
            return figures.stream().map(f -> f.equals("true") ? "t" : f.equals("false") ? "f" : f).toList();
        }
    }

    /**
     * Secrets come from configuration only and are never logged: after every run, fault and hostile
     * request above, no service log, database log or launcher output holds a database password or the
     * API password (they would show up in full: none is shorter than 12 characters).
     */

    static String customerAt(String id, String at, String firstName, String state) {
        return "{\"customer_id\":\"" + id + "\",\"email\":\"edge@example.com\",\"first_name\":\"" + firstName
                + "\",\"last_name\":\"L\",\"city\":\"" + "c".repeat(200) + "\",\"state\":\"" + state
                + "\",\"country\":\"GB\",\"signup_at\":\"1900-01-01T00:00:00Z\",\"updated_at\":\"" + at + "\"}";
    }

    static String orderAt(String id, String at, String status) {
        return "{\"order_id\":\"" + id + "\",\"customer_id\":\"c-edge-max\",\"order_ts\":\"" + at + "\",\"status\":\""
                + status + "\",\"channel\":\"marketplace\",\"updated_at\":\"" + at + "\"}";
    }

    static String itemAt(String order, int line, String product, int quantity, String price, String discount) {
        return "{\"order_id\":\"" + order + "\",\"line_number\":" + line + ",\"product_id\":\"" + product
                + "\",\"quantity\":" + quantity + ",\"unit_price\":" + price + ",\"discount\":" + discount + "}";
    }

    /** One junk request of kind {@code i % 4}: raw, over a socket, since a client library would refuse to send most. */
    static void junk(int port, int i, String word) throws IOException {
        String request = switch (i % 4) {
            case 0 -> "GET /api/v1/" + word + " HTTP/1.1\r\nHost: a b\r\n\r\n";
            case 1 -> "GET /api/v1/" + word + "%zz HTTP/1.1\r\nHost: localhost\r\n\r\n";
            case 2 -> "GET /api/v1/<" + word + "> HTTP/1.1\r\nHost: localhost\r\n\r\n";
            default -> "GET /api/v1/kpis/" + word + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        };
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            byte[] status = socket.getInputStream().readNBytes(12);
            assertThat(new String(status, java.nio.charset.StandardCharsets.ISO_8859_1)).as("%s", request)
                    .matches("HTTP/1\\.1 4\\d\\d");
        }
    }

    static Set<String> uriTags(int port) throws IOException, InterruptedException {
        Set<String> tags = new java.util.TreeSet<>();
        String metrics = client.get("http://localhost:" + port + "/q/metrics").body().asText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"",
                java.util.regex.Pattern.MULTILINE).matcher(metrics);
        while (m.find()) {
            tags.add(m.group(1));
        }
        return tags;
    }

    /** Stops ingestion (SIGTERM) and starts it again with these extra environment variables. */
    static void restartIngestion(Map<String, String> env) throws Exception {
        long pid = Long.parseLong(Files.readString(STATE.resolve("run/ingestion-service.pid")).strip());
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor()).isZero();
        awaitExit(pid); // gone, not only deaf: ./shopflow up starts only what is not alive
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
        assertThat(shopflow("up", env)).as("restart (see %s)", STATE.resolve("shopflow-up.out")).isZero();
    }

    /**
     * SIGKILL to the postmaster (no shutdown, no checkpoint), then the launcher, then a start on the same
     * data directory: PostgreSQL runs crash recovery from its WAL.
     */
    static void killPostgresAndStartItAgain() throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(STATE.resolve("pgdata/postmaster.pid")).get(0).strip());
        List<ProcessHandle> backends = ProcessHandle.of(postmaster).map(p -> p.descendants().toList()).orElse(List.of());
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(postmaster)).start().waitFor()).isZero();
        long launcher = Long.parseLong(Files.readString(STATE.resolve("run/db.pid")).strip());
        new ProcessBuilder("kill", "-9", Long.toString(launcher)).start().waitFor();
        // the server's other processes leave once they see the postmaster gone; its shared memory with them
        for (ProcessHandle p : backends) {
            p.onExit().orTimeout(60, TimeUnit.SECONDS).join();
        }
        ProcessHandle.of(launcher).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
        assertThat(listening(DB_PORT)).as("database gone").isFalse();
        assertThat(shopflow("up", Map.of("SHOPFLOW_DB_KEEP", "true"))).as("restart (see %s)", STATE.resolve("shopflow-up.out"))
                .isZero();
        String log = Files.readString(STATE.resolve("logs/postgres.log"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(log).as("crash recovery ran").containsAnyOf("database system was interrupted", "not properly shut down");
    }

    /** The embedded database's URL with a service's role instead of the superuser. */
    static String roleUrl(String service) throws IOException {
        return databaseUrl() + "?user=shopflow_" + service + "&password=" + rolePassword(service);
    }

    static List<String> strings(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            return strings(c, sql);
        }
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String sqlState(Connection c, String sql) {
        try {
            execute(c, sql);
            return "none";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    static void refused(Connection c, String... statements) {
        for (String sql : statements) {
            assertThat(sqlState(c, sql)).as("%s must be refused", sql).isEqualTo("42501");
        }
    }
}
