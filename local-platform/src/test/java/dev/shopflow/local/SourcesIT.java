package dev.shopflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Sources end to end (issue 37): one shop in a schema that is not ShopFlow's, in four copies a week
 * apart ({@link ShopSources}): pushed as ShopFlow's records by hand (copy 0), followed in a PostgreSQL
 * by change data capture (1), pulled from a MariaDB (2) and from a folder of CSV exports (3). Each
 * copy's week must publish the KPIs of copy 0's week, shifted: the mappings convert exactly what a
 * hand-written converter would. Then an insert, a status change, a price change and a late change in
 * the PostgreSQL source reach the published KPIs by capture, equal again to the same changes pushed.
 */
@Order(4)
class SourcesIT extends EndToEndPlatform {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COPIES = 4;
    /** The KPI endpoints compared, each over one copy's week. */
    private static final List<String> KPIS = List.of("summary", "revenue?granularity=day", "revenue-by-category",
            "revenue-by-channel", "payment-methods", "geography?level=country", "weekday", "top-products?limit=20");

    @Test
    @Order(1)
    void theSameShopFromPostgreSqlMariaDbAndCsvPublishesTheKpisOfItsPushedRecords() throws Exception {
        ShopSources.Shop pushed = ShopSources.copy(0);
        push("customers", ShopSources.customers(pushed, JSON), "copy0-customers");
        push("products", ShopSources.products(pushed, JSON), "copy0-products");
        push("orders", ShopSources.orders(pushed, JSON), "copy0-orders");
        push("order_items", ShopSources.orderItems(pushed, JSON), "copy0-items");
        push("payments", ShopSources.payments(pushed, JSON), "copy0-payments");

        // copy 1: the shop's application writes its PostgreSQL; the capture follows
        shop.postgres(ShopSources.inserts(ShopSources.copy(1)).toArray(String[]::new));
        // copy 2: its MariaDB, pulled by a run
        shop.maria.execute(ShopSources.inserts(ShopSources.copy(2)).toArray(String[]::new));
        assertThat(runSource("shopmaria").path("status").asText()).isEqualTo("succeeded");
        // copy 3: its exports, pulled by a run
        ShopSources.writeCsv(ShopSources.copy(3), shop.files);
        JsonNode files = runSource("shopfiles");
        assertThat(files.path("status").asText()).as("%s", files).isEqualTo("succeeded");
        assertThat(files.path("entities").path("orders").path("rows").asInt()).isEqualTo(40);

        String url = databaseUrl() + "?user=postgres&password=postgres";
        awaitStaged(url, "O-1_____", 40); // the captured copy, by its keys 100001..100040
        awaitAllPublished();
        Map<String, JsonNode> expected = kpis(0);
        assertThat(expected.get("summary").path("orders").asLong()).as("a week of the shop's orders").isGreaterThan(25);
        for (int k = 1; k < COPIES; k++) {
            assertThat(kpis(k)).as("copy %d (%s) against the pushed records", k, List.of("", "PostgreSQL by capture",
                    "MariaDB", "CSV exports").get(k)).isEqualTo(expected);
        }
        assertThat(scalar(url, "SELECT count(*) FROM quarantine.rejected_row r JOIN pipeline.batch b USING (batch_id) "
                + "WHERE b.idempotency_key LIKE 'src:shop%' OR b.idempotency_key LIKE 'cdc:shoppg:%'")).as("nothing quarantined")
                .isZero();
    }

    @Test
    @Order(2)
    void anInsertAStatusChangeAPriceChangeAndALateChangeInPostgreSqlReachThePublishedKpisByCapture() throws Exception {
        ShopSources.Shop copy0 = ShopSources.copy(0);
        ShopSources.Purchase first = copy0.purchases().stream().min(java.util.Comparator.comparing(ShopSources.Purchase::placed))
                .orElseThrow();
        ShopSources.Purchase delivered = copy0.purchases().stream().filter(p -> p.status().equals("delivered")).findFirst()
                .orElseThrow();
        // the changes in copy 1's PostgreSQL, in the shop's own words
        int offset = 100000;
        shop.postgres(
                // a new order on the week's third day
                "INSERT INTO shop.purchase VALUES (" + (offset + 41) + ", 1001, '" + sql(ShopSources.BASE.plusDays(9)) + " 12:00', '"
                        + sql(ShopSources.BASE.plusDays(9)) + " 12:05', NULL, NULL, NULL, 'mobile', '" + sql(ShopSources.BASE.plusDays(9))
                        + " 12:05')",
                "INSERT INTO shop.purchase_line VALUES (" + (offset + 41) + ", 1, 'K1-SKU-2', 3, 12.00, 0, now())");
        shop.postgres(
                // a delivered order is cancelled (a status change: it stops counting)
                "UPDATE shop.purchase SET cancelled = delivered + interval '1 day', modified = modified + interval '3 days' "
                        + "WHERE purchase_no = " + (offset + delivered.no()));
        shop.postgres(
                // the week's first order: a late change of its first line's price and quantity
                "UPDATE shop.purchase_line SET price = price + 2.00, qty = qty + 1, modified = now() WHERE purchase_no = "
                        + (offset + first.no()) + " AND line_no = 1");

        // the same changes as ShopFlow's records, pushed for copy 0
        ShopSources.Line line = copy0.lines().stream().filter(l -> l.no() == first.no() && l.line() == 1).findFirst().orElseThrow();
        LocalDate day = ShopSources.BASE.plusDays(2);
        push("orders", JSON.createObjectNode().put("order_id", "O-41").put("customer_id", "P-1")
                .put("order_ts", ShopSources.utc(day.atTime(12, 0))).put("status", "paid").put("channel", "mobile")
                .put("updated_at", ShopSources.utc(day.atTime(12, 5))) + "\n"
                + JSON.createObjectNode().put("order_id", "O-" + delivered.no()).put("customer_id", "P-" + delivered.person())
                        .put("order_ts", ShopSources.utc(delivered.placed())).put("status", "cancelled")
                        .put("channel", delivered.channel()).put("updated_at", ShopSources.utc(delivered.modified().plusDays(3))) + "\n",
                "copy0-changed-orders");
        push("order_items", JSON.createObjectNode().put("order_id", "O-41").put("line_number", 1).put("product_id", "K0-SKU-2")
                .put("quantity", 3).put("unit_price", new java.math.BigDecimal("12.00")).put("discount", 0) + "\n"
                + JSON.createObjectNode().put("order_id", "O-" + first.no()).put("line_number", 1).put("product_id", line.sku())
                        .put("quantity", line.qty() + 1).put("unit_price", line.price().add(new java.math.BigDecimal("2.00")))
                        .put("discount", line.discount()) + "\n", "copy0-changed-items");

        String url = databaseUrl() + "?user=postgres&password=postgres";
        awaitStaged(url, "O-100041", 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, JsonNode> expected;
        Map<String, JsonNode> captured;
        do {
            awaitAllPublished();
            expected = kpis(0);
            captured = kpis(1);
        } while (!expected.equals(captured) && System.nanoTime() < deadline && sleep());
        assertThat(captured).as("copy 1 after the changes, against the same changes pushed").isEqualTo(expected);
        assertThat(expected.get("summary").path("orders").asLong()).as("the insert counts, the cancelled order does not")
                .isEqualTo(kpisBefore.get("summary").path("orders").asLong());
    }

    /** The console's Pipeline page, in a real browser, shows each source with its last run, rows and lag. */
    @Test
    @Order(3)
    void theConsoleShowsEachSourceWithItsLastRunRowsAndLag() throws Exception {
        java.nio.file.Path shot = ROOT.resolve("local-platform/target/console-browser/screenshots/console-sources.png");
        JsonNode seen = JSON.readTree(OperationsAndConsoleIT.browser("sources.mjs", ANALYTICS, shot.toString()));
        assertThat(seen.path("errors")).as("console errors").isEmpty();
        JsonNode status = client.get(ANALYTICS + "/api/v1/pipeline/status").body().path("sources");
        assertThat(status).hasSize(3);
        Map<String, Long> onScreen = new LinkedHashMap<>();
        seen.path("sources").forEach(s -> onScreen.put(s.path("source").asText(), s.path("rows24h").asLong()));
        Map<String, Long> api = new LinkedHashMap<>();
        status.forEach(s -> api.put(s.path("source").asText(), s.path("rows_24h").asLong()));
        assertThat(onScreen).isEqualTo(api).containsOnlyKeys("shopfiles", "shopmaria", "shoppg");
        // every copy's rows: 12 people, 6 items, 40 orders, their lines and installments (and the capture's changes)
        assertThat(onScreen.get("shopmaria")).isGreaterThan(100);
        assertThat(onScreen.get("shoppg")).isGreaterThanOrEqualTo(onScreen.get("shopmaria"));
        assertThat(seen.path("sources").get(0).path("cells").toString()).contains("succeeded");
        assertThat(java.nio.file.Files.size(shot)).isGreaterThan(10_000);
    }

    /**
     * ingestion killed (SIGKILL) in the middle of a run of the CSV source: the run is marked abandoned
     * when the source runs next, and that run reads from the cursor the last committed batch left, so
     * every row is staged and none was read twice.
     */
    @Test
    @Order(4)
    void aServiceKilledMidRunLeavesNoRowTwiceAndTheNextRunLoadsTheRest() throws Exception {
        String url = databaseUrl() + "?user=postgres&password=postgres";
        ShopSources.Shop big = ShopSources.copy(5, 20_000);
        ShopSources.writeCsv(big, shop.files);
        long before = scalar(url, "SELECT coalesce(max(batch_seq), 0) FROM pipeline.batch");
        PlatformClient.Reply started = client.post(INGESTION + "/api/v1/sources/shopfiles/runs", "", true, Duration.ofSeconds(30));
        assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
        long killed = started.body().path("run_id").asLong();
        awaitScalar(url, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE 'src:shopfiles:orders:%' AND batch_seq > "
                + before, 2);
        stopService("ingestion-service", "-9");
        assertThat(shopflow("up")).isZero();

        JsonNode next = runSource("shopfiles");
        assertThat(next.path("status").asText()).as("%s", next).isEqualTo("succeeded");
        JsonNode abandoned = client.get(INGESTION + "/api/v1/source-runs/" + killed).body();
        assertThat(abandoned.path("status").asText()).isEqualTo("failed");
        assertThat(abandoned.path("errors").toString()).contains("abandoned");
        assertCopyStagedOnce(url, big, 5, before);
    }

    /**
     * The MariaDB stopped in the middle of a run: the run fails with the database's own words, the
     * cursor stays at the last loaded batch, and the retry (with back-off, nobody asks) loads the rest
     * once the database is back: every row once.
     */
    @Test
    @Order(5)
    void aSourceDatabaseStoppedMidRunFailsWithItsTextAndTheRetryLoadsTheRest() throws Exception {
        String url = databaseUrl() + "?user=postgres&password=postgres";
        ShopSources.Shop big = ShopSources.copy(6, 20_000);
        shop.maria.execute(ShopSources.inserts(big).toArray(String[]::new));
        long before = scalar(url, "SELECT coalesce(max(batch_seq), 0) FROM pipeline.batch");
        PlatformClient.Reply started = client.post(INGESTION + "/api/v1/sources/shopmaria/runs", "", true, Duration.ofSeconds(30));
        assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
        long stopped = started.body().path("run_id").asLong();
        awaitScalar(url, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE 'src:shopmaria:orders:%' AND batch_seq > "
                + before, 1);
        shop.maria.close();
        JsonNode failed = client.get(INGESTION + "/api/v1/source-runs/" + stopped).body();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ("running".equals(failed.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            failed = client.get(INGESTION + "/api/v1/source-runs/" + stopped).body();
        }
        assertThat(failed.path("status").asText()).as("%s", failed).isEqualTo("failed");
        assertThat(failed.path("errors").get(0).asText()).as("the driver's own words").isNotBlank();
        shop.maria.startAgain();
        // the retry comes by itself (back-off 2 s doubled, at most 10 s here)
        String succeeded = "SELECT count(*) FROM pipeline.source_run WHERE source = 'shopmaria' AND status = 'succeeded' AND run_id > "
                + stopped;
        awaitScalar(url, succeeded, 1);
        assertCopyStagedOnce(url, big, 6, before);
    }

    /** Every order, line and payment of copy k staged, and the batches since {@code batchSeq} received each row once. */
    private static void assertCopyStagedOnce(String url, ShopSources.Shop copy, int k, long batchSeq) throws Exception {
        String orders = "'O-" + k + "_____'";
        assertThat(scalar(url, "SELECT count(*) FROM staging.orders WHERE order_id LIKE " + orders)).isEqualTo(copy.purchases().size());
        assertThat(scalar(url, "SELECT count(*) FROM staging.order_items WHERE order_id LIKE " + orders)).isEqualTo(copy.lines().size());
        assertThat(scalar(url, "SELECT count(*) FROM staging.payments WHERE order_id LIKE " + orders))
                .isEqualTo(copy.installments().size());
        for (String[] entity : List.of(new String[] {"orders", Integer.toString(copy.purchases().size())},
                new String[] {"order_items", Integer.toString(copy.lines().size())},
                new String[] {"payments", Integer.toString(copy.installments().size())})) {
            assertThat(scalar(url, "SELECT coalesce(sum(received), 0) FROM pipeline.batch WHERE entity = '" + entity[0]
                    + "' AND idempotency_key LIKE 'src:%' AND batch_seq > " + batchSeq)).as("%s read once", entity[0])
                    .isEqualTo(Long.parseLong(entity[1]));
        }
    }

    private static void awaitScalar(String url, String sql, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (scalar(url, sql) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(scalar(url, sql)).as(sql).isGreaterThanOrEqualTo(atLeast);
    }

    private static Map<String, JsonNode> kpisBefore;

    /** Copy k's KPIs over its week, dates moved back k weeks and its product keys named as copy 0's. */
    private static Map<String, JsonNode> kpis(int k) throws Exception {
        LocalDate from = ShopSources.BASE.plusDays(7L * k);
        LocalDate to = from.plusDays(6);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String kpi : KPIS) {
            String url = ANALYTICS + "/api/v1/kpis/" + kpi + (kpi.contains("?") ? "&" : "?") + "from=" + from + "&to=" + to;
            PlatformClient.Reply reply = client.get(url);
            assertThat(reply.status()).as("%s: %s", url, reply.body()).isEqualTo(200);
            ObjectNode body = reply.body().deepCopy();
            // what differs by design: the version, its watermark, and the range asked (each copy's own week)
            body.remove(List.of("version", "as_of", "from", "to"));
            String text = body.toString().replace("K" + k + "-SKU-", "K0-SKU-");
            ObjectNode normalized = (ObjectNode) JSON.readTree(text);
            if (normalized.path("items").isArray()) {
                for (JsonNode item : (ArrayNode) normalized.path("items")) {
                    if (item.has("period") && item.path("period").asText().matches("\\d{4}-\\d{2}-\\d{2}")) {
                        ((ObjectNode) item).put("period", LocalDate.parse(item.path("period").asText()).minusDays(7L * k).toString());
                    }
                }
            }
            out.put(kpi, normalized);
        }
        if (k == 0 && kpisBefore == null) {
            kpisBefore = out;
        }
        return out;
    }

    private static void push(String entity, String ndjson, String what) throws Exception {
        // no Idempotency-Key: the body's hash is the key (what the test sends twice is loaded once)
        PlatformClient.Reply reply = client.post(INGESTION + "/api/v1/batches/" + entity, "application/x-ndjson", ndjson, true,
                Duration.ofSeconds(30));
        assertThat(reply.status()).as("%s: %s", what, reply.body()).isIn(200, 201, 202);
        assertThat(reply.body().path("quarantined").asLong()).as("%s: %s", what, reply.body()).isZero();
    }

    /** Starts a run of a source and waits for its end. */
    private static JsonNode runSource(String source) throws Exception {
        PlatformClient.Reply started = client.post(INGESTION + "/api/v1/sources/" + source + "/runs", "", true, Duration.ofSeconds(30));
        assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
        String run = INGESTION + "/api/v1/source-runs/" + started.body().path("run_id").asLong();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode body = client.get(run).body();
        while ("running".equals(body.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            body = client.get(run).body();
        }
        return body;
    }

    private static void awaitStaged(String url, String orderIds, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String sql = "SELECT count(*) FROM staging.orders WHERE order_id LIKE '" + orderIds + "'";
        while (scalar(url, sql) < count && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(scalar(url, sql)).as("%s staged (capture: %s)", orderIds, client.get(INGESTION + "/api/v1/sources").body())
                .isEqualTo(count);
    }

    private static void awaitAllPublished() throws Exception {
        client.awaitPublished(ANALYTICS, Duration.ofMinutes(3), () -> { });
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(1000);
        return true;
    }

    private static String sql(LocalDate d) {
        return d.toString();
    }
}
