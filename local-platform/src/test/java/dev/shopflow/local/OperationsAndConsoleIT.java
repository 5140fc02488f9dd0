package dev.shopflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What operators and newcomers look at, on a platform of its own: one trace across the services of a
 * generation run (exported to an OTLP receiver), the console in a real browser showing the API's
 * figures, JSON log lines in the production profile, and a service stopped under a request loop
 * without one failed request.
 */
@Order(0) // before the shared platform starts: two platforms at once would share two cores
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsAndConsoleIT {

    static final LocalDate FROM = LocalDate.of(2025, 6, 2);
    static final LocalDate TO = LocalDate.of(2025, 6, 15);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The shipped checks plus a warn check that finds rows (large orders to review): the Quality page's samples. */
    static final String REVIEW_CHECK = """
              - name: large_orders_to_review
                kind: custom_sql
                layer: warehouse
                severity: warn
                description: orders above 1,500 in revenue, for a person to look at
                sql: SELECT order_id, sum(revenue) AS revenue FROM warehouse.fact_order_line GROUP BY order_id HAVING sum(revenue) > 1500
            """;
    static OtlpReceiver otlp;
    static LocalPlatformFixture platform;

    @BeforeAll
    static void up() throws Exception {
        otlp = new OtlpReceiver();
        Path checks = LocalPlatformFixture.ROOT.resolve("local-platform/target/e2e-operations-checks.yaml");
        Files.createDirectories(checks.getParent());
        Files.writeString(checks, Files.readString(LocalPlatformFixture.ROOT.resolve(
                "quality-service/src/main/resources/checks/default-checks.yaml")) + REVIEW_CHECK);
        platform = new LocalPlatformFixture("e2e-operations", 18180, 25442, Map.of(
                "SHOPFLOW_QUALITY_CHECKS_FILE", checks.toString(),
                // the one setting that turns export on (TracingDefaults); OTLP over HTTP to the receiver
                "SHOPFLOW_OTLP_ENDPOINT", otlp.endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                "SHOPFLOW_ANALYTICS_VERSION_CHECK_EVERY", "0s"));
        assertThat(platform.shopflow("reset")).isZero(); // down keeps the local data: a rerun starts from none
        assertThat(platform.shopflow("up")).as("./shopflow up (see %s)", platform.state).isZero();
        PlatformClient.Reply run = platform.client.post(platform.url("generator-service") + "/api/v1/generation-runs?wait=true",
                "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"seed\":11,\"orders_per_day\":150}", true,
                Duration.ofMinutes(5));
        assertThat(run.status()).as("generation: %s", run.body()).isEqualTo(200);
        platform.client.awaitPublished(platform.url("analytics-api"), Duration.ofMinutes(3), () -> { });
    }

    @AfterAll
    static void down() throws Exception {
        if (platform != null) {
            assertThat(platform.shopflow("down")).isZero();
        }
        if (otlp != null) {
            otlp.close();
        }
    }

    @Test
    @Order(1)
    void aGenerationRunIsOneTraceFromThePushThroughTransformToTheAudit() throws Exception {
        Set<String> services = Set.of("generator-service", "ingestion-service", "transform-service", "quality-service");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String trace = null;
        while (trace == null && System.nanoTime() < deadline) {
            Map<String, Set<String>> servicesByTrace = otlp.spans().stream().collect(Collectors.groupingBy(
                    OtlpReceiver.Span::traceId, Collectors.mapping(OtlpReceiver.Span::service, Collectors.toSet())));
            trace = servicesByTrace.entrySet().stream().filter(e -> e.getValue().containsAll(services))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            Thread.sleep(500);
        }
        assertThat(otlp.refused()).isEmpty();
        assertThat(trace).as("a trace with spans of %s among %d spans", services, otlp.spans().size()).isNotNull();
        String traceId = trace;
        List<OtlpReceiver.Span> spans = otlp.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
        Set<String> ids = spans.stream().map(OtlpReceiver.Span::spanId).collect(Collectors.toSet());
        // connected: one root (the generation request), every other span's parent is in the trace
        List<OtlpReceiver.Span> roots = spans.stream().filter(s -> s.parentSpanId().isEmpty()).toList();
        assertThat(roots).hasSize(1);
        assertThat(roots.get(0).service()).isEqualTo("generator-service");
        assertThat(spans).filteredOn(s -> !s.parentSpanId().isEmpty()).allSatisfy(s -> assertThat(ids).contains(s.parentSpanId()));
        assertThat(spans).extracting(OtlpReceiver.Span::name).contains("generation run").anyMatch(n -> n.startsWith("transform run "));
        // the audit: a server span in quality whose ancestors lead to a transform run span
        OtlpReceiver.Span audit = spans.stream().filter(s -> s.service().equals("quality-service") && s.name().contains("check-runs"))
                .findFirst().orElseThrow(() -> new AssertionError("no audit span in " + spans));
        assertThat(ancestors(audit, spans)).anyMatch(s -> s.name().startsWith("transform run "));
        // the same trace id is in the services' log lines
        for (String service : List.of("ingestion-service", "transform-service")) {
            assertThat(Files.readString(platform.state.resolve("logs/" + service + ".log"))).as(service).contains("traceId=" + traceId);
        }
    }

    static List<OtlpReceiver.Span> ancestors(OtlpReceiver.Span span, List<OtlpReceiver.Span> spans) {
        List<OtlpReceiver.Span> out = new ArrayList<>();
        OtlpReceiver.Span current = span;
        while (!current.parentSpanId().isEmpty()) {
            String parent = current.parentSpanId();
            current = spans.stream().filter(s -> s.spanId().equals(parent)).findFirst().orElse(null);
            if (current == null) {
                break;
            }
            out.add(current);
        }
        return out;
    }

    /**
     * The console in Debian's Chromium, driven by playwright-core: every page loads without a console
     * error or failed request, and shows what the API answers; the range picker changes the figures.
     */
    @Test
    @Order(2)
    void theConsoleShowsTheApisFiguresInARealBrowser() throws Exception {
        Path work = LocalPlatformFixture.ROOT.resolve("local-platform/target/console-browser");
        String narrowFrom = "2025-06-09";
        String narrowTo = "2025-06-11";
        JsonNode seen = JSON.readTree(browser("console.mjs", platform.url("analytics-api"),
                work.resolve("screenshots").toString(), narrowFrom, narrowTo));
        JsonNode pages = seen.path("pages");
        for (String page : List.of("pipeline", "quality", "lineage", "kpis")) {
            assertThat(pages.path(page).path("errors")).as("console errors on %s", page).isEmpty();
            assertThat(pages.path(page).path("problem").asInt()).as("error box on %s", page).isZero();
        }
        String analytics = platform.url("analytics-api");
        JsonNode status = platform.client.get(analytics + "/api/v1/pipeline/status").body();
        assertThat(pages.path("pipeline").path("batchRows").asInt()).isEqualTo(status.path("latest_batches").size()).isEqualTo(5);
        assertThat(pages.path("pipeline").path("runRows").asInt()).isPositive();
        assertThat(pages.path("pipeline").path("publishedVersion").asText()).isEqualTo(status.path("published_version").asText());
        JsonNode results = platform.client.get(analytics + "/api/v1/console/check-results?limit=1000").body();
        long checks = java.util.stream.StreamSupport.stream(results.path("items").spliterator(), false)
                .map(r -> r.path("check").asText()).distinct().count();
        assertThat(checks).isGreaterThan(10);
        assertThat(pages.path("quality").path("checks").asLong()).isEqualTo(checks);
        assertThat(pages.path("quality").path("checkRows").asLong()).isEqualTo(checks);
        JsonNode review = results.path("items").get(0);
        for (JsonNode r : results.path("items")) {
            if (r.path("check").asText().equals("large_orders_to_review")) {
                review = r;
                break;
            }
        }
        assertThat(review.path("status").asText()).isEqualTo("failed");
        assertThat(review.path("failing_rows").asLong()).isPositive();
        assertThat(pages.path("quality").path("failingRows").path("large_orders_to_review").asLong())
                .isEqualTo(review.path("failing_rows").asLong());
        assertThat(pages.path("quality").path("samples").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode lineage = pages.path("lineage");
        assertThat(lineage.path("detailTitle").asText()).isEqualTo("marts.mart_daily_sales");
        assertThat(lineage.path("detailColumns").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(lineage.path("hotEdges").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(lineage.path("edges").asInt()).isGreaterThan(lineage.path("nodes").asInt() / 2);

        // KPIs: the default range is the published data's, the figures are the API's
        JsonNode before = pages.path("kpis").path("before");
        assertThat(before.path("from").asText()).isEqualTo(FROM.toString());
        assertThat(before.path("to").asText()).isEqualTo(TO.toString());
        String range = "from=" + FROM + "&to=" + TO;
        JsonNode summary = platform.client.get(analytics + "/api/v1/kpis/summary?" + range).body();
        assertThat(before.path("revenue").decimalValue()).isEqualByComparingTo(summary.path("revenue").decimalValue());
        assertThat(before.path("orders").asLong()).isEqualTo(summary.path("orders").asLong());
        assertSeries(before.path("series"), platform.client.get(analytics + "/api/v1/kpis/revenue?" + range + "&granularity=day")
                .body().path("items"), "period", "revenue");
        assertSeries(before.path("categories"), platform.client.get(analytics + "/api/v1/kpis/revenue-by-category?" + range)
                .body().path("items"), "category", "revenue");
        assertSeries(before.path("channels"), platform.client.get(analytics + "/api/v1/kpis/revenue-by-channel?" + range)
                .body().path("items"), "channel", "revenue");
        // the range picker
        JsonNode after = pages.path("kpis").path("after");
        String narrow = "from=" + narrowFrom + "&to=" + narrowTo;
        JsonNode narrowSummary = platform.client.get(analytics + "/api/v1/kpis/summary?" + narrow).body();
        assertThat(after.path("revenue").decimalValue()).isEqualByComparingTo(narrowSummary.path("revenue").decimalValue())
                .isLessThan(before.path("revenue").decimalValue());
        assertThat(after.path("series")).hasSize(3);
        assertSeries(after.path("series"), platform.client.get(analytics + "/api/v1/kpis/revenue?" + narrow + "&granularity=day")
                .body().path("items"), "period", "revenue");

        for (String page : List.of("pipeline", "quality", "lineage", "kpis")) {
            Path shot = work.resolve("screenshots/console-" + page + ".png");
            assertThat(Files.size(shot)).as(shot.toString()).isGreaterThan(10_000);
            // -Dshopflow.write-screenshots=true refreshes the README's images
            if (Boolean.getBoolean("shopflow.write-screenshots")) {
                Files.createDirectories(LocalPlatformFixture.ROOT.resolve("docs/images"));
                Files.copy(shot, LocalPlatformFixture.ROOT.resolve("docs/images/console-" + page + ".png"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void assertSeries(JsonNode onScreen, JsonNode items, String labelField, String valueField) {
        assertThat(onScreen).as("points on screen vs %s", items).hasSize(items.size());
        for (int i = 0; i < items.size(); i++) {
            assertThat(onScreen.get(i).path("label").asText()).isEqualTo(items.get(i).path(labelField).asText());
            assertThat(new BigDecimal(onScreen.get(i).path("value").asText()))
                    .isEqualByComparingTo(items.get(i).path(valueField).decimalValue());
        }
    }

    /**
     * Runs one of the browser scripts of src/test/console-browser with node, playwright-core driving
     * Debian's Chromium (installed into target/console-browser once); what the script prints.
     */
    static String browser(String script, String... args) throws IOException, InterruptedException {
        Path work = LocalPlatformFixture.ROOT.resolve("local-platform/target/console-browser");
        Path source = LocalPlatformFixture.ROOT.resolve("local-platform/src/test/console-browser");
        Files.createDirectories(work.resolve("screenshots"));
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, work.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium)).as("%s is needed (apt-get install -y chromium, or run ./shopflow test: it "
                + "installs what is missing)", chromium).isTrue();
        if (!Files.isDirectory(work.resolve("node_modules/playwright-core"))) {
            run(work, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
        String[] command = new String[args.length + 2];
        command[0] = "node";
        command[1] = script;
        System.arraycopy(args, 0, command, 2, args.length);
        return run(work, command);
    }

    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is needed (apt-get install -y nodejs npm chromium, or run ./shopflow test: "
                    + "it installs what is missing)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), out).isZero();
        return out;
    }

    /** The production profile writes one JSON object per line, with the date, level, logger and trace ids. */
    @Test
    @Order(3)
    void theProductionProfileLogsJsonLines() throws Exception {
        Path log = platform.state.resolve("logs/analytics-prod.log");
        int port = platform.basePort + 7;
        Process p = platform.startDirectly("analytics-api", port, log, Map.of());
        try {
            platform.awaitReady("http://localhost:" + port, Duration.ofMinutes(2));
            assertThat(platform.client.get("http://localhost:" + port + "/api/v1/kpis/summary?from=" + FROM + "&to=" + TO).status())
                    .isEqualTo(200);
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThan(3);
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            records.add(JSON.readTree(line));
        }
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
            assertThat(r.path("level").asText()).isNotEmpty();
            assertThat(r.path("loggerName").asText()).isNotEmpty();
            assertThat(r.has("message")).isTrue();
        });
        assertThat(records).anyMatch(r -> r.path("message").asText().contains("started in"));
        // a request's log line carries its trace (the version it prepared, logged under the request)
        assertThat(records).anyMatch(r -> r.path("mdc").path("traceId").asText().matches("[0-9a-f]{32}"));
    }

    /**
     * A rollout: a service under a request loop gets SIGTERM. Like a load balancer, the loop watches
     * readiness and stops sending once it is DOWN; the shutdown delay keeps the service answering during
     * that window, so not one request fails, and the service still exits within the delay plus a few seconds.
     */
    @Test
    @Order(4)
    void aServiceStoppedUnderARequestLoopFailsNoRequest() throws Exception {
        int port = platform.basePort + 8;
        String base = "http://localhost:" + port;
        Process p = platform.startDirectly("analytics-api", port, platform.state.resolve("logs/analytics-rollout.log"),
                Map.of("SHOPFLOW_SHUTDOWN_DELAY", "3s", "SHOPFLOW_LOG_JSON", "false"));
        platform.awaitReady(base, Duration.ofMinutes(2));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        AtomicBoolean routable = new AtomicBoolean(true);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicInteger ok = new AtomicInteger();
        AtomicBoolean sawNotReady = new AtomicBoolean(false);
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpRequest kpi = HttpRequest.newBuilder(URI.create(base + "/api/v1/kpis/summary?from=" + FROM + "&to=" + TO))
                .timeout(Duration.ofSeconds(10)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        Thread prober = new Thread(() -> {
            // the endpoints controller: takes the pod out of the Service on the first failed probe
            while (!stop.get() && routable.get()) {
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                        sawNotReady.set(true);
                        routable.set(false);
                    }
                } catch (IOException e) {
                    routable.set(false);
                } catch (InterruptedException e) {
                    return;
                }
                sleep(100);
            }
        });
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(new Thread(() -> {
                while (!stop.get()) {
                    if (!routable.get()) {
                        sleep(50);
                        continue;
                    }
                    try {
                        HttpResponse<Void> r = http.send(kpi, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add("status " + r.statusCode());
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        prober.start();
        clients.forEach(Thread::start);
        Thread.sleep(1500);
        int before = ok.get();
        long t0 = System.nanoTime();
        p.toHandle().destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        double stopSeconds = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        prober.join();
        for (Thread t : clients) {
            t.join();
        }
        assertThat(before).as("requests answered before the stop").isGreaterThan(20);
        assertThat(sawNotReady).as("readiness went DOWN before the port closed").isTrue();
        assertThat(failures).as("failed requests during the rollout").isEmpty();
        assertThat(stopSeconds).as("stopped within delay + OpenTelemetry's 5 s + margin").isBetween(2.5, 15.0);
    }

    /**
     * A newcomer's setting reaches the running platform: {@code up} with a changed setting restarts the
     * services on it, {@code up} with the same settings restarts nothing. Their data survives
     * {@code ./shopflow down} and the next {@code up}; {@code ./shopflow reset} starts over (issue 36:
     * up ignored new settings, down deleted everything).
     */
    /**
     * The README's examples, run as written (bash, curl, psql) against this platform: only its ports,
     * its state folder and its days (FROM and TO, which the README lets a user set) differ; every
     * request must answer 2xx (issue 36: they used to query days the demo does not fill, and a customer
     * that does not exist).
     */
    @Test
    @Order(5)
    void theReadmesExamplesAnswerAsWritten() throws Exception {
        // as after the demo: nothing pending, no transform run in progress (the rebuild example would get a 409)
        platform.client.awaitPublished(platform.url("analytics-api"), Duration.ofMinutes(3), () -> { });
        String readme = Files.readString(LocalPlatformFixture.ROOT.resolve("README.md"));
        int start = readme.indexOf("```bash\n# the demo's days");
        assertThat(start).as("the README's examples block").isPositive();
        String script = readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start + 7))
                .replace("port=15432", "port=" + platform.dbPort)
                .replace(".shopflow/db-roles.properties", platform.state.resolve("db-roles.properties").toString())
                // an HTTP error fails the script, its body shown
                .replace("curl ", "curl -sS --fail-with-body ");
        for (String service : List.of("analytics-api", "generator-service", "ingestion-service", "transform-service",
                "quality-service")) {
            script = script.replace("localhost:" + (8080 + List.of("analytics-api", "generator-service", "ingestion-service",
                    "transform-service", "quality-service").indexOf(service)), "localhost:" + platform.port(service));
        }
        Path work = Files.createDirectories(platform.state.resolve("readme-examples"));
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + script).directory(work.toFile())
                .redirectErrorStream(true);
        pb.environment().put("FROM", FROM.toString());
        pb.environment().put("TO", TO.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("the README's examples:%n%s", out).isZero();
        assertThat(out).contains("\"revenue\"").contains("\"segment\"").contains("\"ltv\"").contains("\"loaded\"");
        assertThat(Files.size(work.resolve("products.csv"))).isPositive();
    }

    @Test
    @Order(6)
    void upAppliesChangedSettingsDownKeepsTheLocalDataAndResetStartsOver() throws Exception {
        long transform = platform.pid("transform-service");
        Map<String, String> slower = Map.of("SHOPFLOW_TRANSFORM_SWEEP_EVERY", "7s");
        assertThat(platform.shopflow("up", slower)).as("./shopflow up (see %s)", platform.state).isZero();
        long restarted = platform.pid("transform-service");
        assertThat(restarted).as("restarted on the changed setting").isNotEqualTo(transform);
        assertThat(Files.readString(platform.state.resolve("shopflow-up.out"))).contains("Restarting transform-service");
        assertThat(platform.shopflow("up", slower)).isZero();
        assertThat(platform.pid("transform-service")).as("the same settings: nothing restarted").isEqualTo(restarted);

        String url = platform.adminUrl();
        long batches = EndToEndPlatform.ledgerRows(url);
        assertThat(batches).isPositive();
        assertThat(platform.shopflow("down")).isZero();
        assertThat(platform.shopflow("up")).as("./shopflow up (see %s)", platform.state).isZero();
        assertThat(EndToEndPlatform.ledgerRows(platform.adminUrl())).as("the ledger after down and up").isEqualTo(batches);
        JsonNode summary = platform.client.get(platform.url("analytics-api") + "/api/v1/kpis/summary?from=" + FROM + "&to=" + TO).body();
        assertThat(summary.path("orders").asLong()).as("the published KPIs still answer").isPositive();
        // reset stops everything and deletes the data: the next up initialises an empty database (no up here:
        // a fresh start is what every end-to-end class begins with)
        assertThat(platform.shopflow("reset")).isZero();
        assertThat(platform.state.resolve("pgdata")).as("after reset").doesNotExist();
        assertThat(Files.readString(platform.state.resolve("shopflow-reset.out"))).contains("Deleted the local data");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
