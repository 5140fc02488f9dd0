package dev.shopflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Faults and edges: killed and stopped services, quality down, two transform replicas, database
 * restarts and kills, a batch between build and audit, junk paths, final answers, rows at every
 * bound; and every dashboard query and alert expression against a real scrape.
 */
@Order(2)
class FaultIT extends EndToEndPlatform {

    /**
     * kill -9 of ingestion while a generation run pushes batches: after a restart the generator's retries
     * complete the run, and staging holds exactly the generated order lines (none lost, none twice);
     * replaying the whole run loads nothing.
     */
    @Test
    @Order(10)
    void aKilledIngestionLosesNothingAndDuplicatesNothing() throws Exception {
        String params = "\"from\":\"2025-06-01\",\"to\":\"2025-06-08\",\"seed\":31,\"orders_per_day\":1500,\"defect_rate\":0";
        String keys = "gen:v2:1500:31:0.0:%";
        String url = PLATFORM.adminUrl();
        // once some of the run's batches are in, kill ingestion without warning
        String runId = startRunAndAwaitBatches(params, keys, url);
        stopService("ingestion-service", "-9");
        long loadedAtKill = scalar(url, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE '" + keys + "'");
        assertThat(shopflow("up")).as("restart (see %s)", STATE.resolve("shopflow-up.out")).isZero();

        JsonNode run = awaitRunEnd(runId);
        assertThat(run.path("status").asText()).as("%s", run).isEqualTo("succeeded");
        long batches = scalar(url, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE '" + keys + "'");
        assertThat(batches).as("batches in at the kill: %d", loadedAtKill).isGreaterThan(loadedAtKill);

        // every pushed row was received once: the ledger's received rows equal what the generator pushed
        JsonNode pushed = run.path("rows_pushed");
        for (String entity : List.of("customers", "products", "orders", "order_items", "payments")) {
            long received = scalar(url, "SELECT coalesce(sum(received), 0) FROM pipeline.batch WHERE entity = '" + entity
                    + "' AND idempotency_key LIKE '" + keys + "'");
            assertThat(received).as(entity).isEqualTo(pushed.path(entity).asLong());
        }
        // staging holds exactly the generated order lines of those days: the same records as the dataset endpoint
        assertStagingHoldsExactlyTheGeneratedOrderLines(params, keys, url);

        // the same run replayed (a CronJob retried): nothing new
        long loaded = scalar(url, "SELECT coalesce(sum(loaded), 0) FROM pipeline.batch");
        PlatformClient.Reply replay = client.post(GENERATOR + "/api/v1/generation-runs?wait=true", "{" + params + "}", true,
                Duration.ofMinutes(5));
        assertThat(replay.status()).as("%s", replay.body()).isEqualTo(200);
        assertThat(scalar(url, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE '" + keys + "'")).isEqualTo(batches);
        assertThat(scalar(url, "SELECT coalesce(sum(loaded), 0) FROM pipeline.batch")).isEqualTo(loaded);
    }

    /**
     * kill -9 of transform in the middle of a full rebuild: nothing of it is published, the restarted
     * service marks the run abandoned, the next run publishes, and its marts equal a clean rebuild's.
     */
    @Test
    @Order(11)
    void aKilledTransformPublishesNothingPartialAndTheNextRunIsExact() throws Exception {
        String url = PLATFORM.adminUrl();
        String transform = "http://localhost:" + (BASE_PORT + 3);
        // the poison order of the audit test would fail every audit from here on: take it out of staging
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DELETE FROM staging.order_items WHERE order_id LIKE 'poison-%'");
            st.execute("DELETE FROM staging.orders WHERE order_id LIKE 'poison-%'");
        }
        long killedRun = startRun(transform, "{\"rebuild\":{}}");
        // the run holds the lock from here: nothing else publishes until it ends
        long publishedBefore = scalar(url, "SELECT coalesce(max(version), 0) FROM pipeline.published_version");
        // kill once the run is inside its build transaction (its first step recorded, still running)
        awaitFirstStep(transform, killedRun);
        stopService("transform-service", "-9");
        assertThat(scalar(url, "SELECT count(*) FROM pipeline.transform_run WHERE run_id = " + killedRun + " AND status = 'running'"))
                .as("killed while running").isEqualTo(1);
        assertThat(scalar(url, "SELECT coalesce(max(version), 0) FROM pipeline.published_version")).isEqualTo(publishedBefore);
        assertThat(shopflow("up")).as("restart (see %s)", STATE.resolve("shopflow-up.out")).isZero();

        long next = awaitRun(transform, "{\"rebuild\":{}}");
        assertThat(scalar(url, "SELECT count(*) FROM pipeline.transform_run WHERE run_id = " + killedRun
                + " AND status = 'failed' AND error LIKE 'abandoned%'")).as("the killed run is marked abandoned").isEqualTo(1);
        assertThat(scalar(url, "SELECT count(*) FROM pipeline.published_version WHERE run_id = " + killedRun)).isZero();
        assertSameMartsAsACleanRebuild(url, transform, next, List.of("mart_daily_sales", "mart_daily_category_sales",
                "mart_product_daily", "mart_customer_daily", "mart_customer", "mart_cohort", "mart_payment_daily"));
    }

    /**
     * quality-service down during a transform: the run does not publish and says why; once quality is
     * back the next run publishes.
     */
    @Test
    @Order(12)
    void aTransformWithQualityDownPublishesNothingAndTheNextOneDoesOnceItIsBack() throws Exception {
        String url = PLATFORM.adminUrl();
        String transform = "http://localhost:" + (BASE_PORT + 3);
        stopService("quality-service", "-9");
        long runId = startRun(transform, "{\"rebuild\":{}}");
        long published = scalar(url, "SELECT coalesce(max(version), 0) FROM pipeline.published_version");
        JsonNode run = client.get(transform + "/api/v1/transform-runs/" + runId).body();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while ("running".equals(run.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(300);
            run = client.get(transform + "/api/v1/transform-runs/" + runId).body();
        }
        assertThat(run.path("status").asText()).as("%s", run).isEqualTo("audit_failed");
        assertThat(run.path("error").asText()).startsWith("audit unavailable");
        assertThat(run.path("published_version").isNull()).isTrue();
        assertThat(scalar(url, "SELECT coalesce(max(version), 0) FROM pipeline.published_version")).isEqualTo(published);

        assertThat(shopflow("up")).as("restart (see %s)", STATE.resolve("shopflow-up.out")).isZero();
        long next = awaitRun(transform, "{}");
        assertThat(scalar(url, "SELECT count(*) FROM pipeline.published_version WHERE run_id = " + next)).isEqualTo(1);
    }

    /** Two transform replicas on one database: of two requests at once, one runs and the other gets 409. */
    @Test
    @Order(13)
    void twoTransformReplicasRunOneAtATime() throws Exception {
        String first = "http://localhost:" + (BASE_PORT + 3);
        int port = BASE_PORT + 5;
        String second = "http://localhost:" + port;
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar",
                ROOT.resolve("transform-service/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(STATE.resolve("logs/transform-replica.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // the second replica connects like the first: as transform's own role
        env.put("SHOPFLOW_DB_URL", databaseUrl());
        env.put("SHOPFLOW_DB_USER", "shopflow_transform");
        env.put("SHOPFLOW_DB_PASSWORD", rolePassword("transform"));
        env.put("SHOPFLOW_API_USER", "shopflow");
        env.put("SHOPFLOW_API_PASSWORD", API_PASSWORD);
        env.put("SHOPFLOW_QUALITY_URL", QUALITY);
        env.put("SHOPFLOW_TRANSFORM_SWEEP_EVERY", "1h");
        Process replica = pb.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!client.allReady(List.of(second)) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(client.allReady(List.of(second))).as("second replica ready (see logs/transform-replica.log)").isTrue();
            for (int attempt = 0; attempt < 5; attempt++) {
                List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
                Thread a = new Thread(() -> statuses.add(post(first)));
                Thread b = new Thread(() -> statuses.add(post(second)));
                a.start();
                b.start();
                a.join();
                b.join();
                if (!statuses.contains(409) || !statuses.contains(202)) {
                    // a sweep's run held the lock, or the first run ended before the second came: try again
                    Thread.sleep(2000);
                    continue;
                }
                assertThat(statuses).containsExactlyInAnyOrder(202, 409);
                return;
            }
            throw new AssertionError("never saw one 202 and one 409 from two replicas");
        } finally {
            replica.destroy();
            replica.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM to ingestion while a large batch is being loaded: the batch is either all in (its report
     * and every row) or not at all, never half; after a restart the same batch sent again ends with
     * every row staged exactly once.
     */
    @Test
    @Order(14)
    void aStoppedIngestionFinishesOrRollsBackTheBatchInFlight() throws Exception {
        String url = PLATFORM.adminUrl();
        int rows = 300_000;
        StringBuilder csv = new StringBuilder("order_id,line_number,product_id,quantity,unit_price,discount\n");
        for (int i = 0; i < rows; i++) {
            csv.append("graceful-").append(i / 3).append(',').append(i % 3 + 1).append(",p-1,1,9.99,0\n");
        }
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(INGESTION + "/api/v1/batches/order_items"))
                .header("Content-Type", "text/csv").header("Idempotency-Key", "graceful-1")
                .header("Authorization", BASIC_AUTH)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv.toString())).build();
        var response = http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        stopService("ingestion-service", "-TERM");
        int status;
        try {
            status = response.get(60, TimeUnit.SECONDS).statusCode();
        } catch (java.util.concurrent.ExecutionException e) {
            status = -1; // the connection went with the process
        }
        long ledger = scalar(url, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key = 'graceful-1'");
        long staged = scalar(url, "SELECT count(*) FROM staging.order_items WHERE order_id LIKE 'graceful-%'");
        if (status == 201) {
            assertThat(ledger).isEqualTo(1);
        }
        assertThat(staged).as("all or nothing (status %d, ledger rows %d)", status, ledger).isEqualTo(ledger == 1 ? rows : 0);

        assertThat(shopflow("up")).as("restart (see %s)", STATE.resolve("shopflow-up.out")).isZero();
        int again = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        assertThat(again).isIn(200, 201);
        assertThat(scalar(url, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key = 'graceful-1'")).isEqualTo(1);
        assertThat(scalar(url, "SELECT count(*) FROM staging.order_items WHERE order_id LIKE 'graceful-%'")).isEqualTo(rows);
    }

    /**
     * PostgreSQL stopped and started again (same data) while a generation run pushes batches: readiness
     * goes DOWN and back UP, calls are retried, the run completes (or a re-run does), nothing twice.
     */
    @Test
    @Order(15)
    void aDatabaseRestartDuringARunLosesNothingAndDuplicatesNothing() throws Exception {
        String params = "\"from\":\"2025-07-01\",\"to\":\"2025-07-06\",\"seed\":41,\"orders_per_day\":1500,\"defect_rate\":0";
        String keys = "gen:v2:1500:41:0.0:%";
        String url = PLATFORM.adminUrl();
        String runId = startRunAndAwaitBatches(params, keys, url);
        long dbPid = Long.parseLong(Files.readString(STATE.resolve("run/db.pid")).strip());
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(dbPid)).start().waitFor()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (listening(DB_PORT) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(listening(DB_PORT)).as("database stopped").isFalse();
        // a restart is a stop and then a start: the launcher's process is gone before it comes back
        ProcessHandle.of(dbPid).ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int readiness = 200;
        while (readiness == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            readiness = client.get(INGESTION + "/q/health/ready").status();
        }
        assertThat(readiness).as("ingestion not ready without its database").isEqualTo(503);

        assertThat(shopflow("up", Map.of("SHOPFLOW_DB_KEEP", "true"))).as("restart (see %s)", STATE.resolve("shopflow-up.out"))
                .isZero();
        assertThat(client.get(INGESTION + "/q/health/ready").status()).as("ready again").isEqualTo(200);
        awaitRunOrRunAgain(runId, params);
        assertStagingHoldsExactlyTheGeneratedOrderLines(params, keys, url);
    }

    /**
     * Every Grafana panel query and every alert expression (its left-hand side, without the threshold)
     * against the real Prometheus that scraped this whole run: each returns data, so no panel or alert
     * is blind because of a wrong metric or label name.
     */
    @Test
    @Order(16)
    void everyDashboardQueryAndAlertExpressionReturnsDataFromARealScrape() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (prometheus.query("up{job=\"shopflow\"} == 1").size() < PORTS.size() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(prometheus.query("up{job=\"shopflow\"} == 1")).as("every service scraped").hasSize(PORTS.size());

        ObjectMapper json = new ObjectMapper();
        List<String> empty = new ArrayList<>();
        int queries = 0;
        try (var files = Files.list(CHART_FILES.resolve("grafana"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                List<String> exprs = new ArrayList<>();
                for (JsonNode panel : dashboard.path("panels")) {
                    panel.path("targets").forEach(t -> exprs.add(panel.path("title").asText() + ": " + t.path("expr").asText()));
                }
                // the variables' own queries (label_values(<selector>, <label>): the label's values as Grafana lists them)
                for (JsonNode variable : dashboard.path("templating").path("list")) {
                    String query = variable.path("query").path("query").asText();
                    Matcher m = Pattern.compile("label_values\\((.*), (\\w+)\\)").matcher(query);
                    if (m.matches()) {
                        exprs.add("variable " + variable.path("name").asText() + ": count by (" + m.group(2) + ") (" + m.group(1) + ")");
                    }
                }
                dashboard.path("annotations").path("list").forEach(a -> exprs.add("annotation " + a.path("name").asText() + ": "
                        + a.path("expr").asText().replaceFirst("\\s*>\\s*0$", "")));
                for (String named : exprs) {
                    queries++;
                    // the variables as Grafana's defaults set them: job shopflow, every namespace and service
                    String expr = named.substring(named.indexOf(": ") + 2).replace("$job", "shopflow")
                            .replace("$namespace", ".*").replace("$service", ".*");
                    if (prometheus.query(expr).isEmpty()) {
                        empty.add(file.getFileName() + " / " + named);
                    }
                }
            }
        }
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(CHART_FILES.resolve("prometheus/shopflow-alerts.yaml").toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                queries++;
                // the left-hand side: before a first line starting with "or" (TargetDown's absent() alternatives,
                // empty while every service is there), without the trailing comparison
                String lhs = rule.path("expr").asText().split("\n\\s*or ")[0].strip()
                        .replaceFirst("\\s*(==|!=|>=|<=|>|<)\\s*[0-9.* ]+$", "");
                if (prometheus.query(lhs).isEmpty()) {
                    empty.add(rule.path("alert").asText() + ": " + lhs);
                }
            }
        }
        assertThat(queries).isGreaterThan(25);
        assertThat(empty).as("queries without data").isEmpty();
    }

    /**
     * Hostile traffic cannot blind the metrics: 1,000 distinct junk requests per service - refused by
     * the HTTP layer before routing (a bad Host header, a malformed escape, a character a URI cannot
     * hold) or matching no route - add no uri series, and an endpoint called afterwards has its own.
     */
    @Test
    @Order(19)
    void junkPathsDoNotMultiplyMetricSeries() throws Exception {
        String[] endpoints = {"/api/v1/kpis/weekday?from=2025-03-03&to=2025-03-09", "/api/v1/generation-runs/none",
                "/api/v1/batches?limit=1", "/api/v1/transform-runs/1", "/api/v1/checks"};
        String[] templates = {"/api/v1/kpis/weekday", "/api/v1/generation-runs/{run_id}", "/api/v1/batches",
                "/api/v1/transform-runs/{run_id}", "/api/v1/checks"};
        for (int s = 0; s < PORTS.size(); s++) {
            int port = PORTS.get(s);
            for (int i = 0; i < 4; i++) {
                junk(port, i, "warm-up");
            }
            Set<String> before = uriTags(port);
            for (int i = 0; i < 1000; i++) {
                junk(port, i, "junk" + i);
            }
            Set<String> after = uriTags(port);
            assertThat(after).as("uri series of port %d after 1,000 junk requests", port).isEqualTo(before);
            assertThat(after).as("port %d", port).contains("UNMATCHED").noneMatch(u -> u.contains("junk"));
            assertThat(client.get("http://localhost:" + port + endpoints[s]).status()).isLessThan(500);
            assertThat(uriTags(port)).as("port %d", port).contains(templates[s]);
        }
    }

    /**
     * Retries that know a final answer: with ingestion refusing every batch as too large (413), a
     * generation run fails at once (not after three minutes of retries) and says what ingestion said.
     */
    @Test
    @Order(20)
    void aFinalAnswerFromIngestionFailsTheGenerationRunAtOnce() throws Exception {
        restartIngestion(Map.of("SHOPFLOW_INGESTION_MAX_BODY_BYTES", "512"));
        try {
            long started = System.nanoTime();
            PlatformClient.Reply reply = client.post(GENERATOR + "/api/v1/generation-runs?wait=true",
                    "{\"from\":\"2025-08-01\",\"seed\":5,\"orders_per_day\":50}", true, Duration.ofMinutes(4));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(reply.status()).as("%s", reply.body()).isEqualTo(502);
            assertThat(took).as("failed at once").isLessThan(Duration.ofSeconds(20));
            JsonNode run = client.get(GENERATOR + "/api/v1/generation-runs/" + reply.body().path("run_id").asText()).body();
            assertThat(run.path("status").asText()).isEqualTo("failed");
            assertThat(run.path("error").asText()).as("%s", run).contains("ingestion refused").contains("answered 413");
        } finally {
            restartIngestion(Map.of());
        }
    }

    /**
     * kill -9 of the PostgreSQL postmaster during a generation run, then a start on the same data
     * (crash recovery): no line lost, none twice, one ledger row per batch, and the pipeline publishes.
     */
    @Test
    @Order(21)
    void aPostgresKilledDuringAGenerationRunLosesNothingAndDuplicatesNothing() throws Exception {
        String params = "\"from\":\"2025-09-01\",\"to\":\"2025-09-06\",\"seed\":43,\"orders_per_day\":1500,\"defect_rate\":0";
        String keys = "gen:v2:1500:43:0.0:%";
        String url = PLATFORM.adminUrl();
        String runId = startRunAndAwaitBatches(params, keys, url);
        killPostgresAndStartItAgain();
        awaitRunOrRunAgain(runId, params);
        assertStagingHoldsExactlyTheGeneratedOrderLines(params, keys, url);
        JsonNode status = client.awaitPublished(ANALYTICS, Duration.ofMinutes(4), () -> { });
        assertThat(status.path("last_transform_run").path("status").asText()).as("%s", status).isEqualTo("succeeded");
    }

    /**
     * kill -9 of the postmaster inside a full rebuild's transaction: crash recovery leaves nothing of the
     * run, nothing partial is published, and the next rebuild publishes marts equal to a clean one's.
     */
    @Test
    @Order(22)
    void aPostgresKilledDuringATransformPublishesNothingPartial() throws Exception {
        String url = PLATFORM.adminUrl();
        String transform = "http://localhost:" + (BASE_PORT + 3);
        client.awaitPublished(ANALYTICS, Duration.ofMinutes(2), () -> { });
        long publishedBefore = scalar(url, "SELECT coalesce(max(version), 0) FROM pipeline.published_version");
        long killedRun = startRun(transform, "{\"rebuild\":{}}");
        awaitFirstStep(transform, killedRun);
        killPostgresAndStartItAgain();
        assertThat(scalar(url, "SELECT coalesce(max(version), 0) FROM pipeline.published_version")).isEqualTo(publishedBefore);
        long next = awaitRun(transform, "{\"rebuild\":{}}");
        assertThat(scalar(url, "SELECT count(*) FROM pipeline.transform_run WHERE run_id = " + killedRun
                + " AND status = 'failed'")).as("the killed run ended failed").isEqualTo(1);
        assertThat(scalar(url, "SELECT count(*) FROM pipeline.published_version WHERE run_id = " + killedRun)).isZero();
        assertSameMartsAsACleanRebuild(url, transform, next, List.of("mart_daily_sales", "mart_product_daily",
                "mart_customer", "mart_payment_daily"));
    }

    /**
     * The audit judges what the build saw: with transform down, a batch changes the quantity of a
     * published order line, as a batch loaded between a build and its audit would. Live staging now
     * differs from the facts by exactly that change, yet the warehouse audit passes (its fact-to-staging
     * reconciliation, an error check, leaves out rows whose latest batch no build has taken), and the
     * published version does not move; once transform is back, the next run publishes the change.
     */
    @Test
    @Order(23)
    void aBatchLoadedBetweenBuildAndAuditNeitherFailsTheAuditNorSlipsIntoThePublishedVersion() throws Exception {
        String url = PLATFORM.adminUrl();
        String transform = "http://localhost:" + (BASE_PORT + 3);
        awaitRun(transform, "{}"); // nothing pending from earlier tests
        String order;
        int line;
        String product;
        int quantity;
        java.math.BigDecimal price;
        java.math.BigDecimal discount;
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT i.order_id, i.line_number, i.product_id, i.quantity, i.unit_price, i.discount "
                        + "FROM staging.order_items i JOIN staging.orders o USING (order_id) JOIN warehouse.fact_order_line f "
                        + "ON f.order_id = i.order_id AND f.line_number = i.line_number "
                        + "WHERE f.is_qualifying AND i.quantity < 10000 AND i.unit_price > 0 ORDER BY i.order_id, i.line_number LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            order = rs.getString(1);
            line = rs.getInt(2);
            product = rs.getString(3);
            quantity = rs.getInt(4);
            price = rs.getBigDecimal(5);
            discount = rs.getBigDecimal(6);
        }
        long published = scalar(url, "SELECT max(version) FROM pipeline.published_version");
        String martRevenue = "SELECT sum(revenue)::text FROM marts.mart_daily_sales WHERE version_from <= %d AND version_to > %d";
        String before = text(url, martRevenue.formatted(published, published));

        stopService("transform-service", "-9");
        PlatformClient.Reply loaded = client.post(INGESTION + "/api/v1/batches/order_items", "application/x-ndjson",
                itemAt(order, line, product, quantity + 1, price.toPlainString(), discount.toPlainString()) + "\n", true,
                Duration.ofSeconds(30));
        assertThat(loaded.status()).as("%s", loaded.body()).isEqualTo(201);
        // live staging is one unit price ahead of the facts: a check on live staging would fail now
        String live = text(url, "SELECT ((SELECT sum(i.quantity * i.unit_price - i.discount) FROM staging.order_items i "
                + "JOIN staging.orders o ON o.order_id = i.order_id WHERE o.status IN ('paid', 'shipped', 'delivered')) "
                + "- (SELECT sum(revenue) FROM warehouse.fact_order_line WHERE is_qualifying))::text");
        assertThat(new java.math.BigDecimal(live)).isEqualByComparingTo(price);

        PlatformClient.Reply audit = client.post(QUALITY + "/api/v1/check-runs", "{\"layer\":\"warehouse\",\"scope\":{}}", true,
                Duration.ofSeconds(60));
        assertThat(audit.status()).as("%s", audit.body()).isEqualTo(200);
        JsonNode reconciliation = null;
        for (JsonNode r : audit.body().path("results")) {
            if (r.path("check").asText().equals("fact_revenue_reconciles_with_staging")) {
                reconciliation = r;
            }
        }
        assertThat(reconciliation).as("%s", audit.body()).isNotNull();
        assertThat(reconciliation.path("status").asText()).as("%s", reconciliation).isEqualTo("passed");
        assertThat(reconciliation.path("severity").asText()).isEqualTo("error");
        assertThat(audit.body().path("passed").asBoolean()).as("%s", audit.body()).isTrue();
        assertThat(scalar(url, "SELECT max(version) FROM pipeline.published_version")).isEqualTo(published);
        assertThat(text(url, martRevenue.formatted(published, published))).isEqualTo(before);

        // transform back: the change is built, audited and published
        assertThat(shopflow("up")).as("restart (see %s)", STATE.resolve("shopflow-up.out")).isZero();
        long runId = awaitRun(transform, "{}");
        long next = scalar(url, "SELECT coalesce(max(version), 0) FROM pipeline.published_version");
        assertThat(next).isGreaterThan(published);
        long runs = scalar(url, "SELECT count(*) FROM pipeline.batch WHERE status = 'loaded'");
        assertThat(runs).as("run %d took every batch", runId).isZero();
        assertThat(new java.math.BigDecimal(text(url, martRevenue.formatted(next, next))))
                .isEqualByComparingTo(new java.math.BigDecimal(before).add(price));
    }

    /**
     * Rows at every bound of every field (docs/ingestion.md, "Bounds") go through ingestion, transform,
     * the audit and publish: 1,000 lines per order at the largest quantity x price, the oldest and the
     * newest timestamps, the longest texts, the largest payment. Nothing is quarantined, the run
     * publishes, and the KPIs carry the exact figures.
     */
    @Test
    @Order(29)
    void rowsAtEveryBoundAreTransformedAndPublished() throws Exception {
        String url = PLATFORM.adminUrl();
        long before = scalar(url, "SELECT coalesce(max(version), 0) FROM pipeline.published_version");
        String oldest = "1900-01-01T00:00:00Z";
        String newest = java.time.Instant.now().plus(Duration.ofHours(23)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        String category = "\u00e9".repeat(200);
        String name = "\u4e2d".repeat(1000);
        String customers = customerAt("c-edge-max", oldest, "\ud83d\ude00".repeat(500), "s".repeat(200)) + "\n"
                + customerAt("c-edge-max", newest, "Ada", "\u00fc".repeat(200)) + "\n";
        String products = "{\"product_id\":\"p-edge-max\",\"name\":\"" + name + "\",\"category\":\"" + category
                + "\",\"unit_price\":1000000,\"unit_cost\":1000000,\"updated_at\":\"" + oldest + "\"}\n"
                + "{\"product_id\":\"p-edge-min\",\"name\":\"m\",\"category\":\"c\",\"unit_price\":0,\"unit_cost\":0,"
                + "\"updated_at\":\"" + newest + "\"}\n";
        StringBuilder orders = new StringBuilder();
        StringBuilder items = new StringBuilder();
        for (int k = 1; k <= 3; k++) {
            orders.append(orderAt("o-edge-max-" + k, oldest, "delivered")).append('\n');
            for (int line = 1; line <= 1000; line++) {
                items.append(itemAt("o-edge-max-" + k, line, "p-edge-max", 10_000, "1000000", "0")).append('\n');
            }
        }
        orders.append(orderAt("o-edge-new", newest, "paid")).append('\n');
        items.append(itemAt("o-edge-new", 1, "p-edge-min", 1, "0", "0")).append('\n')
                .append(itemAt("o-edge-new", 2, "p-edge-max", 10_000, "1000000", "10000000000")).append('\n');
        String payments = "{\"payment_id\":\"pay-edge-max\",\"order_id\":\"o-edge-max-1\",\"method\":\"bank_transfer\","
                + "\"amount\":10000000000,\"status\":\"captured\",\"paid_at\":\"" + oldest + "\"}\n"
                + "{\"payment_id\":\"pay-edge-min\",\"order_id\":\"o-edge-new\",\"method\":\"gift_card\","
                + "\"amount\":0.01,\"status\":\"captured\",\"paid_at\":\"" + newest + "\"}\n";
        for (String[] batch : List.of(new String[] {"customers", customers}, new String[] {"products", products},
                new String[] {"orders", orders.toString()}, new String[] {"order_items", items.toString()},
                new String[] {"payments", payments})) {
            PlatformClient.Reply reply = client.post(INGESTION + "/api/v1/batches/" + batch[0], "application/x-ndjson",
                    batch[1], true, Duration.ofSeconds(60));
            assertThat(reply.status()).as("%s: %s", batch[0], reply.body()).isEqualTo(201);
            assertThat(reply.body().path("quarantined").asInt()).as("%s: %s", batch[0], reply.body()).isZero();
        }
        // published by the runs ingestion's nudges start (incremental): earlier tests killed runs
        // between build and audit, whose versions must not be counted again here
        JsonNode status = client.awaitPublished(ANALYTICS, Duration.ofMinutes(3), () -> { });
        assertThat(status.path("last_transform_run").path("status").asText()).as("%s", status).isEqualTo("succeeded");
        assertThat(status.path("published_version").asLong()).isGreaterThan(before);

        // three orders of 1,000 lines of 10,000 x 1,000,000 on the oldest day
        JsonNode day = client.get(ANALYTICS + "/api/v1/kpis/summary?from=1900-01-01&to=1900-01-01").body();
        assertThat(day.path("revenue").decimalValue()).isEqualByComparingTo("30000000000000");
        assertThat(day.path("orders").asLong()).isEqualTo(3);
        assertThat(day.path("units").asLong()).isEqualTo(30_000_000L);
        JsonNode byCategory = client.get(ANALYTICS + "/api/v1/kpis/revenue-by-category?from=1900-01-01&to=1900-01-01").body();
        assertThat(byCategory.path("items").get(0).path("category").asText()).isEqualTo("\u00e9".repeat(200));
        JsonNode customer = client.get(ANALYTICS + "/api/v1/kpis/customers/c-edge-max").body();
        assertThat(customer.path("ltv").decimalValue()).as("%s", customer).isEqualByComparingTo("30000000000000");
        assertThat(customer.path("orders").asLong()).isEqualTo(4);
        JsonNode paid = client.get(ANALYTICS + "/api/v1/kpis/payment-methods?from=1900-01-01&to=1900-01-01").body();
        assertThat(paid.path("items").get(0).path("amount").decimalValue()).isEqualByComparingTo("10000000000");
        // the newest order: a free line and a line whose discount is its whole value
        String newestDay = newest.substring(0, 10);
        JsonNode latest = client.get(ANALYTICS + "/api/v1/kpis/summary?from=" + newestDay + "&to=" + newestDay).body();
        assertThat(latest.path("orders").asLong()).isEqualTo(1);
        assertThat(latest.path("revenue").decimalValue()).isEqualByComparingTo("0");
        // one partition per month that holds facts, not one per month since 1900
        assertThat(scalar(url, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'warehouse.fact_order_line'::regclass"))
                .isLessThan(40);
    }
}
