package dev.shopflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The KPI contract: a 7-day generation with a fixed seed flows through ingestion, transform, the
 * quality audit and publish; every KPI served equals the contract's definitions computed
 * independently from the inputs; a failing error check keeps the last published numbers; injected
 * defects end in quarantine; the same generation twice loads its data once.
 */
@Order(1)
class KpiContractIT extends EndToEndPlatform {

    @Test
    @Order(1)
    void everyServiceIsReadyWithMetricsAndOpenApiAndRefusesAnonymousWrites() throws Exception {
        for (int port : PORTS) {
            String base = "http://localhost:" + port;
            assertThat(client.get(base + "/q/health/ready").status()).as("ready %s", base).isEqualTo(200);
            assertThat(client.get(base + "/q/health/live").status()).isEqualTo(200);
            assertThat(client.get(base + "/q/openapi").status()).isEqualTo(200);
        }
        PlatformClient.Reply anonymous = client.post(GENERATOR + "/api/v1/generation-runs",
                "{\"from\":\"2025-01-01\"}", false, Duration.ofSeconds(10));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
    }

    @Test
    @Order(2)
    void summaryEqualsTheFiguresComputedFromStaging() throws Exception {
        PlatformClient.Reply run = client.post(GENERATOR + "/api/v1/generation-runs?wait=true",
                "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"seed\":7,\"orders_per_day\":300}", true,
                Duration.ofMinutes(5));
        assertThat(run.status()).as("generation: %s", run.body()).isEqualTo(200);
        assertThat(run.body().path("days_done").asInt()).isEqualTo(7);

        JsonNode status = client.awaitPublished(ANALYTICS, Duration.ofMinutes(3), () -> { });
        assertThat(status.path("last_transform_run").path("status").asText()).isEqualTo("succeeded");

        JsonNode summary = client.get(ANALYTICS + "/api/v1/kpis/summary?from=" + FROM + "&to=" + TO).body();
        BigDecimal expectedRevenue;
        long expectedOrders;
        String url = PLATFORM.adminUrl();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement(
                        "SELECT coalesce(sum(i.quantity * i.unit_price - i.discount), 0), count(DISTINCT o.order_id) "
                                + "FROM staging.orders o JOIN staging.order_items i ON i.order_id = o.order_id "
                                + "WHERE o.status IN ('paid', 'shipped', 'delivered') "
                                + "AND (o.order_ts AT TIME ZONE 'UTC')::date BETWEEN ? AND ?")) {
            ps.setObject(1, FROM);
            ps.setObject(2, TO);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                expectedRevenue = rs.getBigDecimal(1);
                expectedOrders = rs.getLong(2);
            }
        }
        assertThat(expectedOrders).isGreaterThan(1000);
        assertThat(summary.path("revenue").decimalValue()).isEqualByComparingTo(expectedRevenue);
        assertThat(summary.path("orders").asLong()).isEqualTo(expectedOrders);
        assertThat(summary.path("version").asLong()).isEqualTo(status.path("published_version").asLong());
    }

    /** Every KPI endpoint against the contract's definitions computed in plain Java from the staged inputs. */
    @Test
    @Order(3)
    void everyKpiEqualsTheContractDefinitionsComputedFromTheInputs() throws Exception {
        ContractKpis expected;
        try (Connection c = DriverManager.getConnection(PLATFORM.adminUrl())) {
            expected = ContractKpis.load(c);
        }
        String range = "?from=" + FROM + "&to=" + TO;
        JsonNode summary = client.get(ANALYTICS + "/api/v1/kpis/summary" + range).body();
        Map<String, Object> s = expected.summary(FROM, TO);
        assertThat(summary.path("revenue").decimalValue()).isEqualByComparingTo((BigDecimal) s.get("revenue"));
        assertThat(summary.path("orders").asLong()).isEqualTo(s.get("orders"));
        assertThat(summary.path("units").asLong()).isEqualTo(s.get("units"));
        assertThat(summary.path("customers").asLong()).isEqualTo(s.get("customers"));
        assertThat(summary.path("new_customers").asLong()).isEqualTo(s.get("new_customers"));
        assertThat(summary.path("repeat_customer_rate").decimalValue()).isEqualByComparingTo((BigDecimal) s.get("repeat_customer_rate"));

        Map<String, BigDecimal> categories = new TreeMap<>();
        client.get(ANALYTICS + "/api/v1/kpis/revenue-by-category" + range).body().path("items")
                .forEach(i -> categories.put(i.path("category").asText(), i.path("revenue").decimalValue()));
        assertThat(categories.keySet()).isEqualTo(expected.revenueByCategory(FROM, TO).keySet());
        expected.revenueByCategory(FROM, TO).forEach((k, v) -> assertThat(categories.get(k)).as(k).isEqualByComparingTo(v));
        Map<String, BigDecimal> channels = new TreeMap<>();
        client.get(ANALYTICS + "/api/v1/kpis/revenue-by-channel" + range).body().path("items")
                .forEach(i -> channels.put(i.path("channel").asText(), i.path("revenue").decimalValue()));
        assertThat(channels.keySet()).isEqualTo(expected.revenueByChannel(FROM, TO).keySet());
        expected.revenueByChannel(FROM, TO).forEach((k, v) -> assertThat(channels.get(k)).as(k).isEqualByComparingTo(v));

        // 2025-03-05 is a Wednesday: its week is labelled by Monday 2025-03-03
        JsonNode weeks = client.get(ANALYTICS + "/api/v1/kpis/revenue?granularity=week&from=2025-03-05&to=" + TO).body();
        Map<LocalDate, BigDecimal> weekly = expected.weeklyRevenue(LocalDate.parse("2025-03-05"), TO);
        assertThat(weeks.path("items").get(0).path("period").asText()).isEqualTo("2025-03-03");
        assertThat(weeks.path("items").get(0).path("revenue").decimalValue()).isEqualByComparingTo(weekly.get(LocalDate.parse("2025-03-03")));

        Map<String, BigDecimal> countries = new TreeMap<>();
        client.get(ANALYTICS + "/api/v1/kpis/geography" + range).body().path("items")
                .forEach(i -> countries.put(i.path("country").asText(), i.path("revenue").decimalValue()));
        assertThat(countries.keySet()).isEqualTo(expected.revenueByCountry(FROM, TO).keySet());
        expected.revenueByCountry(FROM, TO).forEach((k, v) -> assertThat(countries.get(k)).as(k).isEqualByComparingTo(v));

        Map<String, BigDecimal> methods = new TreeMap<>();
        client.get(ANALYTICS + "/api/v1/kpis/payment-methods" + range).body().path("items")
                .forEach(i -> methods.put(i.path("method").asText(), i.path("amount").decimalValue()));
        assertThat(methods.keySet()).isEqualTo(expected.capturedByMethod(FROM, TO).keySet());
        expected.capturedByMethod(FROM, TO).forEach((k, v) -> assertThat(methods.get(k)).as(k).isEqualByComparingTo(v));

        Map<String, BigDecimal> products = expected.productRevenue(FROM, TO);
        List<String> topExpected = products.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(5).map(Map.Entry::getKey).toList();
        List<String> top = new ArrayList<>();
        client.get(ANALYTICS + "/api/v1/kpis/top-products" + range + "&limit=5").body().path("items")
                .forEach(i -> top.add(i.path("product_id").asText()));
        assertThat(top).isEqualTo(topExpected);

        JsonNode best = client.get(ANALYTICS + "/api/v1/kpis/customer-ltv?limit=3").body().path("items");
        assertThat(best).hasSize(3);
        for (JsonNode row : best) {
            String id = row.path("customer_id").asText();
            Map<String, Object> c = expected.customer(id);
            JsonNode one = client.get(ANALYTICS + "/api/v1/kpis/customers/" + id).body();
            assertThat(one.path("ltv").decimalValue()).as(id).isEqualByComparingTo((BigDecimal) c.get("ltv"));
            assertThat(one.path("ltv_30d").decimalValue()).as(id).isEqualByComparingTo((BigDecimal) c.get("ltv_30d"));
            assertThat(one.path("orders").asLong()).as(id).isEqualTo(c.get("orders"));
            assertThat(one.path("first_order_date").asText()).as(id).isEqualTo(c.get("first_order_date"));
            assertThat(one.path("rfm").path("segment").asText()).isNotBlank();
        }

        JsonNode cohorts = client.get(ANALYTICS + "/api/v1/kpis/cohorts?from=2025-01&to=2025-12").body().path("items");
        Map<LocalDate, long[]> cohortCounts = expected.cohorts(LocalDate.parse("2025-03-01"));
        assertThat(cohorts).hasSize(cohortCounts.size());
        for (JsonNode cohort : cohorts) {
            long[] counts = cohortCounts.get(LocalDate.parse(cohort.path("cohort_month").asText()));
            assertThat(cohort.path("size").asLong()).isEqualTo(counts[0]);
        }
    }

    @Test
    @Order(4)
    void anErrorCheckThatFailsKeepsTheLastPublishedNumbers() throws Exception {
        String range = "?from=" + FROM + "&to=" + TO;
        // BI tools see the same published version through the bi views, connected as shopflow_bi (analytics
        // shows a publish within a second or two: wait until both name the same version)
        JsonNode before = client.get(ANALYTICS + "/api/v1/kpis/summary" + range).body();
        List<String> biBefore = biFigures();
        for (int i = 0; i < 40 && !biBefore.get(0).equals(before.path("version").asText()); i++) {
            Thread.sleep(250);
            before = client.get(ANALYTICS + "/api/v1/kpis/summary" + range).body();
            biBefore = biFigures();
        }
        assertThat(biBefore.get(0)).isEqualTo(before.path("version").asText());
        assertThat(new java.math.BigDecimal(biBefore.get(1))).isEqualByComparingTo(before.path("revenue").decimalValue());
        assertThat(biBefore.subList(2, 5)).containsExactly(before.path("orders").asText(), before.path("units").asText(),
                before.path("customers").asText());
        JsonNode categories = client.get(ANALYTICS + "/api/v1/kpis/revenue-by-category" + range).body();
        try (Connection c = DriverManager.getConnection(roleUrl("bi"))) {
            for (JsonNode row : categories.path("items")) {
                assertThat(new java.math.BigDecimal(strings(c, "SELECT sum(revenue)::text FROM bi.daily_category_sales "
                        + "WHERE order_date BETWEEN '" + FROM + "' AND '" + TO + "' AND category = '" + row.path("category").asText()
                        + "'").get(0))).as(row.path("category").asText()).isEqualByComparingTo(row.path("revenue").decimalValue());
            }
        }
        long lastRun = client.get(ANALYTICS + "/api/v1/pipeline/status").body().path("last_transform_run").path("run_id").asLong();
        String order = "{\"order_id\":\"poison-1\",\"customer_id\":\"c-poison\",\"order_ts\":\"" + FROM
                + "T12:00:00Z\",\"status\":\"paid\",\"channel\":\"web\",\"updated_at\":\"" + FROM + "T12:00:00Z\"}";
        String line = "{\"order_id\":\"poison-1\",\"line_number\":1,\"product_id\":\"p-poison\",\"quantity\":1,"
                + "\"unit_price\":1000.00}";
        assertThat(client.post(INGESTION + "/api/v1/batches/orders", "application/x-ndjson", order, true,
                Duration.ofSeconds(30)).status()).isEqualTo(201);
        assertThat(client.post(INGESTION + "/api/v1/batches/order_items", "application/x-ndjson", line, true,
                Duration.ofSeconds(30)).status()).isEqualTo(201);

        // the nudged transform builds (the order first: every run from now on sees it), quality's audit
        // fails the error check, nothing is published, whatever revenue the poison line would add
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode status = client.get(ANALYTICS + "/api/v1/pipeline/status").body();
        while (!(status.path("last_transform_run").path("run_id").asLong() > lastRun
                && "audit_failed".equals(status.path("last_transform_run").path("status").asText()))
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = client.get(ANALYTICS + "/api/v1/pipeline/status").body();
        }
        assertThat(status.path("last_transform_run").path("status").asText()).as("%s", status).isEqualTo("audit_failed");
        JsonNode after = client.get(ANALYTICS + "/api/v1/kpis/summary" + range).body();
        assertThat(after.path("version").asLong()).isEqualTo(before.path("version").asLong());
        assertThat(after.path("revenue").decimalValue()).isEqualByComparingTo(before.path("revenue").decimalValue());
        // the version that failed its audit is not visible through the bi views either; the star schema
        // views say they hold unpublished changes
        List<String> biAfter = biFigures();
        assertThat(biAfter.subList(0, 5)).isEqualTo(biBefore.subList(0, 5));
        assertThat(biAfter.get(5)).isEqualTo("t");
        JsonNode failed = client.get(QUALITY + "/api/v1/check-results?status=failed&check=no_poison_orders").body();
        assertThat(failed.path("items").get(0).path("sample").get(0).path("order_id").asText()).isEqualTo("poison-1");
    }

    @Test
    @Order(5)
    void injectedDefectsEndInQuarantineAndOrphansInQualityChecks() throws Exception {
        PlatformClient.Reply run = client.post(GENERATOR + "/api/v1/generation-runs?wait=true",
                "{\"from\":\"2025-04-01\",\"to\":\"2025-04-02\",\"seed\":99,\"orders_per_day\":200,"
                        + "\"defect_rate\":0.03}", true, Duration.ofMinutes(5));
        assertThat(run.status()).as("generation: %s", run.body()).isEqualTo(200);
        JsonNode defects = run.body().path("defects");
        long rowLevel = 0;
        for (String kind : List.of("missing_required_field", "bad_email", "out_of_range_quantity", "unknown_enum_value",
                "future_timestamp", "malformed_line")) {
            rowLevel += defects.path(kind).asLong();
        }
        assertThat(rowLevel).isGreaterThan(20);
        assertThat(defects.path("orphan_reference").asLong()).isPositive();

        String url = PLATFORM.adminUrl();
        try (Connection c = DriverManager.getConnection(url)) {
            long quarantined;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(sum(quarantined), 0) FROM pipeline.batch WHERE idempotency_key LIKE 'gen:v2:200:99:0.03:%'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                quarantined = rs.getLong(1);
            }
            assertThat(quarantined).as("quarantined rows = row-level defects %s", defects).isEqualTo(rowLevel);
            // pretend the batches arrived three days ago: past the 2-day grace, orphans are findings
            try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline.batch SET loaded_at = loaded_at - interval '3 days' "
                    + "WHERE idempotency_key LIKE 'gen:v2:200:99:0.03:%'")) {
                ps.executeUpdate();
            }
        }
        JsonNode checks = client.post(QUALITY + "/api/v1/check-runs", "{\"layer\":\"staging\",\"scope\":{}}", true,
                Duration.ofMinutes(1)).body();
        String samples = checks.path("results").toString();
        long orphanFindings = 0;
        for (JsonNode result : checks.path("results")) {
            if (result.path("check").asText().endsWith("_exists")) {
                orphanFindings += result.path("failing_rows").asLong();
            }
        }
        assertThat(orphanFindings).isGreaterThanOrEqualTo(defects.path("orphan_reference").asLong());
        assertThat(samples).containsAnyOf("C-ORPHAN-", "P-ORPHAN-", "O-ORPHAN-");
    }

    /** A replayed CronJob: the same generation twice at once loads every batch once. */
    @Test
    @Order(8)
    void theSameGenerationTwiceAtOnceLoadsItsDataOnce() throws Exception {
        String body = "{\"from\":\"2025-05-01\",\"to\":\"2025-05-02\",\"seed\":123,\"orders_per_day\":150}";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Callable<PlatformClient.Reply> run =
                    () -> client.post(GENERATOR + "/api/v1/generation-runs?wait=true", body, true, Duration.ofMinutes(5));
            var runs = pool.invokeAll(List.of(run, run));
            JsonNode first = runs.get(0).get().body();
            assertThat(runs.get(0).get().status()).isEqualTo(200);
            assertThat(runs.get(1).get().status()).isEqualTo(200);
            String url = PLATFORM.adminUrl();
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement ps = c.prepareStatement("SELECT count(*), count(DISTINCT idempotency_key), "
                            + "coalesce(sum(received), 0) FROM pipeline.batch WHERE idempotency_key LIKE 'gen:v2:150:123:0.0:%'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("one ledger row per batch key").isEqualTo(rs.getLong(2));
                long pushed = 0;
                for (JsonNode n : first.path("rows_pushed")) {
                    pushed += n.asLong();
                }
                assertThat(rs.getLong(3)).as("rows received = one run's rows").isEqualTo(pushed);
            }
        } finally {
            pool.shutdown();
        }
    }
}
