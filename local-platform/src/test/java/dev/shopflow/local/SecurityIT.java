package dev.shopflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Security: every mutating route needs credentials, each service's database role is refused what its
 * service must not do, hostile requests get problems and write nothing, and no log holds a
 * credential (last: it reads every log the other classes left).
 */
@Order(3)
class SecurityIT extends EndToEndPlatform {

    /** Every mutating route of every service's OpenAPI refuses anonymous and wrong credentials; reads stay open. */
    @Test
    @Order(6)
    void everyMutatingRouteOfEveryServiceRequiresCredentials() throws Exception {
        PlatformClient wrong = new PlatformClient("shopflow", "not-the-password");
        int mutating = 0;
        for (int port : PORTS) {
            String base = "http://localhost:" + port;
            JsonNode paths = client.get(base + "/q/openapi?format=json").body().path("paths");
            for (var path = paths.fields(); path.hasNext(); ) {
                var entry = path.next();
                String url = base + entry.getKey().replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
                for (var op = entry.getValue().fieldNames(); op.hasNext(); ) {
                    String method = op.next().toUpperCase(java.util.Locale.ROOT);
                    if (method.equals("GET")) {
                        assertThat(client.get(url).status()).as("GET %s is open", url).isNotIn(401, 403);
                        continue;
                    }
                    mutating++;
                    for (PlatformClient who : List.of(client, wrong)) {
                        PlatformClient.Reply reply = who.send(method, url, "application/json", "{}", who == client);
                        assertThat(reply.status()).as("%s %s as %s", method, url, who == client ? "anonymous" : "wrong user")
                                .isEqualTo(401);
                        assertThat(reply.contentType()).startsWith("application/problem+json");
                    }
                }
            }
        }
        // generation runs, batches, transform runs, check runs at least
        assertThat(mutating).isGreaterThanOrEqualTo(4);
    }

    /**
     * Least privilege (helm/shopflow/files/db/roles.sql): every service runs as its own role, owns the
     * tables of its layers, and is refused what its service must never do - each attempt below is a
     * 42501 (insufficient privilege) from PostgreSQL itself.
     */
    @Test
    @Order(7)
    void eachServiceRoleIsRefusedWhatItsServiceMustNotDo() throws Exception {
        String admin = PLATFORM.adminUrl();
        // they migrated as their roles: each layer's tables belong to the service that writes it
        assertThat(strings(admin, "SELECT DISTINCT schemaname || ':' || tableowner FROM pg_tables "
                + "WHERE schemaname IN ('raw', 'quarantine', 'staging', 'warehouse', 'marts', 'quality') "
                + "OR tablename IN ('batch', 'transform_run', 'published_version', 'generation_run')"))
                .containsExactlyInAnyOrder("raw:shopflow_ingestion", "quarantine:shopflow_ingestion",
                        "staging:shopflow_ingestion", "warehouse:shopflow_transform", "marts:shopflow_transform",
                        "quality:shopflow_quality", "pipeline:shopflow_ingestion", "pipeline:shopflow_transform",
                        "pipeline:shopflow_generator");
        // and analytics reads as its own (an answer from the database first, so its pool holds a connection)
        assertThat(client.get(ANALYTICS + "/api/v1/kpis/summary?from=2024-01-0" + (1 + new Random().nextInt(9))
                + "&to=2024-02-01").status()).isEqualTo(200);
        assertThat(strings(admin, "SELECT DISTINCT usename FROM pg_stat_activity WHERE usename LIKE 'shopflow%'"))
                .contains("shopflow_analytics", "shopflow_ingestion", "shopflow_transform", "shopflow_quality");

        try (Connection c = DriverManager.getConnection(roleUrl("analytics"))) {
            // its sessions start read-only ...
            assertThat(sqlState(c, "DELETE FROM marts.mart_daily_sales")).isEqualTo("25006");
            // ... and with that switched off, the grants still refuse every write
            execute(c, "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
            refused(c, "DELETE FROM marts.mart_daily_sales", "UPDATE pipeline.published_version SET published_at = now()",
                    "UPDATE pipeline.batch SET status = status", "CREATE TABLE marts.x (i int)",
                    "CREATE TABLE public.x (i int)", "CREATE TEMP TABLE x (i int)", "CREATE SCHEMA x",
                    "SELECT count(*) FROM staging.orders", "SELECT count(*) FROM warehouse.fact_order_line",
                    "SELECT count(*) FROM quality.check_result", "SELECT count(*) FROM raw.batch_body");
            assertThat(strings(c, "SELECT count(*)::text FROM marts.mart_daily_sales")).isNotEmpty();
            assertThat(strings(c, "SELECT count(*)::text FROM pipeline.batch")).isNotEmpty();
        }
        try (Connection c = DriverManager.getConnection(roleUrl("ingestion"))) {
            refused(c, "SELECT count(*) FROM marts.mart_daily_sales", "DELETE FROM marts.mart_daily_sales",
                    "DROP TABLE marts.mart_cohort", "DELETE FROM warehouse.fact_order_line",
                    "UPDATE pipeline.published_version SET published_at = now()",
                    "DELETE FROM quality.check_result", "DELETE FROM pipeline.generation_run", "CREATE SCHEMA x");
        }
        try (Connection c = DriverManager.getConnection(roleUrl("transform"))) {
            refused(c, "DELETE FROM staging.orders", "UPDATE staging.orders SET status = status",
                    "TRUNCATE staging.order_items", "DELETE FROM pipeline.batch",
                    "UPDATE pipeline.batch SET idempotency_key = idempotency_key", "SELECT count(*) FROM raw.batch_body",
                    "SELECT count(*) FROM quarantine.rejected_row", "DELETE FROM quality.check_result", "CREATE SCHEMA x");
            // the one write it has across owners: moving batches along the ledger
            execute(c, "UPDATE pipeline.batch SET status = status WHERE false");
        }
        try (Connection c = DriverManager.getConnection(roleUrl("quality"))) {
            refused(c, "DELETE FROM marts.mart_daily_sales", "UPDATE pipeline.batch SET status = status",
                    "DELETE FROM staging.orders", "UPDATE warehouse.dim_customer SET email = email",
                    "CREATE TEMP TABLE x (i int)", "CREATE SCHEMA x");
            // it reads every layer it audits, the core views included
            for (String table : List.of("staging.orders", "quarantine.rejected_row", "core.order_line",
                    "warehouse.fact_order_line", "marts.mart_daily_sales", "pipeline.batch")) {
                assertThat(strings(c, "SELECT count(*)::text FROM " + table)).as(table).isNotEmpty();
            }
        }
        try (Connection c = DriverManager.getConnection(roleUrl("generator"))) {
            refused(c, "SELECT count(*) FROM staging.orders", "SELECT count(*) FROM pipeline.batch",
                    "DELETE FROM marts.mart_daily_sales", "CREATE SCHEMA x");
        }
        try (Connection c = DriverManager.getConnection(roleUrl("bi"))) {
            // BI tools read the bi views and nothing else: not a layer, not the versioned marts, not the ledger
            for (String view : List.of("published_version", "daily_sales", "daily_category_sales", "daily_channel_sales",
                    "product_daily", "products", "customer_daily", "customers", "cohorts", "payment_daily", "dim_customer",
                    "dim_product", "dim_date", "fact_order_line", "fact_payment")) {
                assertThat(strings(c, "SELECT count(*)::text FROM bi." + view)).as(view).isNotEmpty();
            }
            // its sessions start read-only; with that switched off, the grants refuse every write
            assertThat(strings(c, "SHOW default_transaction_read_only")).containsExactly("on");
            execute(c, "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
            refused(c, "SELECT count(*) FROM staging.orders", "SELECT count(*) FROM raw.batch_body",
                    "SELECT count(*) FROM quarantine.rejected_row", "SELECT count(*) FROM marts.mart_daily_sales",
                    "SELECT count(*) FROM warehouse.fact_order_line", "SELECT count(*) FROM pipeline.batch",
                    "SELECT count(*) FROM pipeline.published_version", "SELECT count(*) FROM quality.check_result",
                    "SELECT count(*) FROM core.order_line", "DELETE FROM bi.daily_sales", "UPDATE bi.products SET name = name",
                    "CREATE TABLE bi.x (i int)", "CREATE TABLE public.x (i int)", "CREATE TEMP TABLE x (i int)", "CREATE SCHEMA x");
        }
    }

    /**
     * Hostile and broken requests against every service: never a 500, every error a problem
     * document, nothing written to the ledger, every service still ready afterwards.
     */
    @Test
    @Order(9)
    void hostileRequestsGetProblemsNeverAServerErrorAndWriteNothing() throws Exception {
        String url = PLATFORM.adminUrl();
        long before = ledgerRows(url);
        List<String> hostile = List.of("' OR '1'='1", "1; DROP TABLE staging.orders; --", "../../etc/passwd",
                "%00", "99999999999999999999999", "-1", "\u0000", "<script>alert(1)</script>", "NaN", "2025-02-30",
                "x".repeat(5000));
        List<String> gets = List.of(
                ANALYTICS + "/api/v1/kpis/summary?from=%s&to=2025-03-09", ANALYTICS + "/api/v1/kpis/summary?from=2025-03-01&to=%s",
                ANALYTICS + "/api/v1/kpis/revenue?from=2025-03-01&to=2025-03-09&granularity=%s",
                INGESTION + "/api/v1/batches?entity=%s", INGESTION + "/api/v1/batches?limit=%s", INGESTION + "/api/v1/batches/%s",
                INGESTION + "/api/v1/quarantine?batch_id=%s", INGESTION + "/api/v1/quarantine?limit=%s",
                QUALITY + "/api/v1/check-results?check=%s", QUALITY + "/api/v1/check-results?status=%s",
                QUALITY + "/api/v1/check-runs/%s", GENERATOR + "/api/v1/generation-runs/%s",
                GENERATOR + "/api/v1/datasets/%s?from=2025-03-01", GENERATOR + "/api/v1/datasets/orders?from=%s",
                "http://localhost:" + (BASE_PORT + 3) + "/api/v1/transform-runs/%s");
        for (String template : gets) {
            for (String value : hostile) {
                String target = String.format(template, java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
                PlatformClient.Reply reply = client.get(target);
                assertThat(reply.status()).as("GET %s", target).isLessThan(500);
                if (reply.status() >= 400) {
                    assertThat(reply.contentType()).as("GET %s", target).startsWith("application/problem+json");
                }
            }
        }
        List<String[]> posts = List.of(
                new String[] {GENERATOR + "/api/v1/generation-runs", "application/json", "{\"from\": 12"},
                new String[] {GENERATOR + "/api/v1/generation-runs", "application/json", "{\"from\":\"2025-01-01\",\"orders_per_day\":\"many\"}"},
                new String[] {GENERATOR + "/api/v1/generation-runs", "application/json", "{\"from\":\"2025-01-01\",\"orders_per_day\":1e400}"},
                new String[] {GENERATOR + "/api/v1/generation-runs", "application/json", "[]"},
                new String[] {GENERATOR + "/api/v1/generation-runs", "text/plain", "from=2025-01-01"},
                new String[] {INGESTION + "/api/v1/batches/orders", "application/json", "{}"},
                new String[] {INGESTION + "/api/v1/batches/..%2F..%2Fetc", "application/x-ndjson", "{}"},
                new String[] {INGESTION + "/api/v1/batches/orders", "text/csv", "order_id\nx\n"},
                new String[] {QUALITY + "/api/v1/check-runs", "application/json", "{\"layer\":\"staging'; DROP TABLE x; --\"}"},
                new String[] {QUALITY + "/api/v1/check-runs", "application/json", "not json"},
                new String[] {"http://localhost:" + (BASE_PORT + 3) + "/api/v1/transform-runs", "application/json",
                        "{\"rebuild\":{\"from\":\"yesterday\"}}"});
        for (String[] post : posts) {
            PlatformClient.Reply reply = client.post(post[0], post[1], post[2], true, Duration.ofSeconds(30));
            assertThat(reply.status()).as("POST %s %s", post[0], post[2]).isBetween(400, 499);
            assertThat(reply.contentType()).as("POST %s", post[0]).startsWith("application/problem+json");
        }
        // invalid UTF-8: in a query parameter, and as bodies (0xFF never occurs in UTF-8; 0xC3 0x28 is a broken pair)
        for (String target : List.of(ANALYTICS + "/api/v1/kpis/summary?from=%FF%FE&to=2025-03-09",
                INGESTION + "/api/v1/batches?entity=%C3%28", QUALITY + "/api/v1/check-results?check=%FF",
                GENERATOR + "/api/v1/datasets/orders?from=%FF")) {
            PlatformClient.Reply reply = client.get(target);
            assertThat(reply.status()).as("GET %s", target).isBetween(400, 499);
            assertThat(reply.contentType()).as("GET %s", target).startsWith("application/problem+json");
        }
        // raw bytes and oversized requests need the JDK client itself, speaking HTTP/1.1 as curl does
        // (its default h2c upgrade request gets a plain 400 for an oversized header instead)
        java.net.http.HttpClient raw = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        byte[] json = {'{', '"', 'f', 'r', 'o', 'm', '"', ':', '"', (byte) 0xFF, (byte) 0xC3, '(', '"', '}'};
        byte[] ndjson = "{\"order_id\":\"o-\u00FF\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] csv = ("product_id,name\np-1,caf" + (char) 0xE9 + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        List<Object[]> binaryPosts = List.of(
                new Object[] {GENERATOR + "/api/v1/generation-runs", "application/json", json},
                new Object[] {QUALITY + "/api/v1/check-runs", "application/json", json},
                new Object[] {"http://localhost:" + (BASE_PORT + 3) + "/api/v1/transform-runs", "application/json", json},
                new Object[] {INGESTION + "/api/v1/batches/orders", "application/x-ndjson", ndjson},
                new Object[] {INGESTION + "/api/v1/batches/products", "text/csv", csv});
        for (Object[] post : binaryPosts) {
            var reply = raw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create((String) post[0]))
                    .header("Content-Type", (String) post[1]).header("Authorization", BASIC_AUTH)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray((byte[]) post[2])).timeout(Duration.ofSeconds(30)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as("POST %s invalid UTF-8: %s", post[0], reply.body()).isBetween(400, 499);
            assertThat(reply.headers().firstValue("Content-Type")).as("POST %s", post[0]).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
        }
        // oversized headers and request lines: refused by the HTTP codec (Vert.x) before any ShopFlow code
        // runs, so the body is Vert.x's, not problem+json (Quarkus has no hook for it yet: quarkusio/quarkus#55082)
        for (int port : PORTS) {
            String base = "http://localhost:" + port;
            var bigHeader = raw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/kpis/summary"))
                    .header("X-Padding", "x".repeat(64 * 1024)).timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(bigHeader.statusCode()).as("64 KiB header to %s", base).isEqualTo(431);
            var bigLine = raw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/batches?entity="
                    + "x".repeat(20_000))).timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(bigLine.statusCode()).as("20,000-character request line to %s", base).isEqualTo(414);
        }
        assertThat(ledgerRows(url)).as("nothing written").isEqualTo(before);
        for (int port : PORTS) {
            assertThat(client.get("http://localhost:" + port + "/q/health/ready").status()).isEqualTo(200);
        }
    }

    @Test
    @Order(30)
    void noLogHoldsACredential() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(API_PASSWORD, BASIC_AUTH.substring("Basic ".length())));
        for (String service : DatabaseRoles.SERVICES) {
            secrets.add(rolePassword(service));
        }
        List<Path> files;
        try (var logs = Files.walk(STATE.resolve("logs")); var outs = Files.list(STATE)) {
            files = java.util.stream.Stream.concat(logs, outs.filter(f -> f.getFileName().toString().endsWith(".out")))
                    .filter(Files::isRegularFile).toList();
        }
        assertThat(files.stream().map(f -> f.getFileName().toString()))
                .contains("ingestion-service.log", "transform-service.log", "postgres.log", "shopflow-up.out");
        long scanned = 0;
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
            scanned += text.length();
            for (String secret : secrets) {
                assertThat(text).as("%s holds a credential", f).doesNotContain(secret);
            }
        }
        assertThat(scanned).as("bytes of logs scanned").isGreaterThan(20_000);
    }
}
