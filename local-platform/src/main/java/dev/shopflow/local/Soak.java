package dev.shopflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bench/soak.sh}'s driver (issue 16): for a while, producers push coherent batches of all five
 * entities (customers, products, orders, their lines, payments) with a share of replays under the same
 * Idempotency-Key, hostile bodies and rows at every bound, while analytics is asked a steady rate of
 * KPI questions and transform runs on its own. Then it waits for the pipeline to publish everything
 * and compares what was sent with the ledger and staging, counted independently.
 */
final class Soak {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ENTITIES = {"customers", "products", "orders", "order_items", "payments"};
    private static final Map<String, String> KEY_COLUMN = Map.of("customers", "customer_id", "products", "product_id",
            "orders", "order_id", "order_items", "order_id || '#' || line_number", "payments", "payment_id");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String authorization;
    private final String ingestion;
    private final String analytics;
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    // what was sent, counted by the driver itself
    private final LongAdder newBatches = new LongAdder();
    private final LongAdder replays = new LongAdder();
    private final LongAdder replayMismatches = new LongAdder();
    private final LongAdder hostile = new LongAdder();
    private final LongAdder rowsSent = new LongAdder();
    private final LongAdder rowsBadSent = new LongAdder();
    private final LongAdder boundRows = new LongAdder();
    /** Keys of valid rows sent, per entity: staging must hold exactly these among the soak's keys. */
    private final Map<String, Map<String, Boolean>> acceptedKeys = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> ingestionStatuses = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> analyticsStatuses = new ConcurrentHashMap<>();
    private final LongAdder transportErrors = new LongAdder();
    private final List<Long> analyticsMicros = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, List<Long>> analyticsByEndpoint = new ConcurrentHashMap<>();
    private final AtomicLong analyticsDropped = new AtomicLong();
    private final Map<Integer, LongAdder> hostileStatuses = new ConcurrentHashMap<>();
    private long seconds;

    private Soak(String ingestion, String analytics, String user, String password) {
        this.ingestion = ingestion;
        this.analytics = analytics;
        this.authorization = PlatformClient.basic(user, password);
        for (String e : ENTITIES) {
            acceptedKeys.put(e, new ConcurrentHashMap<>());
        }
    }

    static int run(Options options) throws Exception {
        Duration duration = Duration.ofSeconds(Long.parseLong(options.get("seconds", "600")));
        int producers = Integer.parseInt(options.get("producers", "8"));
        int rate = Integer.parseInt(options.get("analytics-rate", "100"));
        Path pids = Path.of(options.require("pids"));
        String jdbc = options.require("jdbc");
        Soak soak = new Soak(options.require("ingestion"), options.require("analytics"),
                System.getenv().getOrDefault("SHOPFLOW_API_USER", "shopflow"),
                System.getenv().getOrDefault("SHOPFLOW_API_PASSWORD", "shopflow-dev"));
        return soak.drive(duration, producers, rate, pids, jdbc, options.get("transform", null));
    }

    private int drive(Duration duration, int producers, int rate, Path pidDir, String jdbc, String transform)
            throws Exception {
        seconds = duration.toSeconds();
        Map<String, Long> rssStart = rss(pidDir);
        Instant end = Instant.now().plus(duration);
        System.out.printf("Soak %s: %d producers, analytics %d req/s, %d s%n", runId, producers, rate, duration.toSeconds());

        ExecutorService pushers = Executors.newFixedThreadPool(producers);
        for (int p = 0; p < producers; p++) {
            int producer = p;
            pushers.submit(() -> produce(producer, end));
        }
        ExecutorService askers = Executors.newFixedThreadPool(32);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        Random questions = new Random(7);
        AtomicLong inFlight = new AtomicLong();
        ticker.scheduleAtFixedRate(() -> {
            if (inFlight.get() >= 32) {
                analyticsDropped.incrementAndGet(); // the service is behind: count it rather than queue without bound
                return;
            }
            String url;
            synchronized (questions) {
                url = question(questions);
            }
            inFlight.incrementAndGet();
            askers.submit(() -> {
                try {
                    ask(url);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        while (Instant.now().isBefore(end)) {
            Thread.sleep(Math.min(30_000, Math.max(1, Duration.between(Instant.now(), end).toMillis())));
            System.out.printf("  %s  batches %d (+%d replays, %d hostile)  rows %d  analytics %d answers%n",
                    Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), newBatches.sum(), replays.sum(),
                    hostile.sum(), rowsSent.sum(), analyticsMicros.size());
        }
        pushers.shutdown();
        pushers.awaitTermination(2, TimeUnit.MINUTES);
        ticker.shutdownNow();
        askers.shutdown();
        askers.awaitTermination(1, TimeUnit.MINUTES);
        Map<String, Long> rssEnd = rss(pidDir);

        System.out.println("Waiting for transform to publish every batch ...");
        Instant drained = Instant.now().plus(Duration.ofMinutes(5));
        Map<String, Long> byStatus = Map.of();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            while (Instant.now().isBefore(drained)) {
                byStatus = ledgerByStatus(c);
                if (!byStatus.containsKey("loaded") && !byStatus.containsKey("transformed")
                        && !byStatus.containsKey("audit_failed")) {
                    break;
                }
                if (transform != null) {
                    nudge(transform);
                }
                Thread.sleep(2000);
            }
            return report(c, byStatus, rssStart, rssEnd);
        }
    }

    private void produce(int producer, Instant end) {
        Random random = new Random(1000L + producer);
        List<Sent> mine = new ArrayList<>();
        long round = 0;
        while (Instant.now().isBefore(end)) {
            try {
                String prefix = "soak-" + runId + "-" + producer + "-" + round++;
                boolean atBounds = random.nextInt(100) == 0;
                for (String entity : ENTITIES) {
                    int roll = random.nextInt(100);
                    if (roll < 10 && !mine.isEmpty()) {
                        replay(mine.get(random.nextInt(mine.size())));
                    }
                    if (roll == 99) {
                        pushHostile(random, entity);
                    }
                    Sent sent = push(entity, prefix, random, atBounds);
                    if (sent != null) {
                        mine.add(sent);
                        if (mine.size() > 50) {
                            mine.remove(0);
                        }
                    }
                }
            } catch (Exception e) {
                transportErrors.increment();
                System.err.println("producer " + producer + ": " + e);
            }
        }
    }

    record Sent(String entity, String key, String body, JsonNode report) {
    }

    /** A coherent slice of a shop: 20 customers, 10 products, 30 orders with their lines and payments. */
    private Sent push(String entity, String prefix, Random random, boolean atBounds) throws Exception {
        StringBuilder body = new StringBuilder();
        Map<String, Boolean> keys = new LinkedHashMap<>();
        int bad = 0;
        int rows = switch (entity) {
            case "customers" -> 20;
            case "products" -> 10;
            default -> 30;
        };
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i < rows; i++) {
            boolean invalid = random.nextInt(50) == 0; // 2 % quarantined rows
            boolean bound = atBounds && i < 3;
            String ts = bound ? (i == 0 ? "1900-01-01T00:00:00Z" : Instant.now().toString())
                    : today.minusDays(1 + random.nextInt(60)).atTime(random.nextInt(24), random.nextInt(60))
                            .toInstant(ZoneOffset.UTC).toString();
            String line;
            String key;
            switch (entity) {
                case "customers" -> {
                    key = prefix + "-c" + i;
                    line = "{\"customer_id\":\"" + key + "\",\"email\":\"" + (invalid ? "not-an-email" : key + "@example.com")
                            + "\",\"first_name\":\"" + (bound ? "x".repeat(1000) : "Ada") + "\",\"last_name\":\"L\u00f6w\","
                            + "\"city\":\"" + (bound ? "\u00e9".repeat(200) : "Berlin") + "\",\"country\":\"DE\","
                            + "\"signup_at\":\"" + (bound ? "1900-01-01T00:00:00Z" : ts) + "\",\"updated_at\":\"" + ts + "\"}";
                }
                case "products" -> {
                    key = prefix + "-p" + i;
                    line = "{\"product_id\":\"" + key + "\",\"name\":\"Thing " + i + "\",\"category\":\""
                            + (bound ? "c".repeat(200) : "cat-" + random.nextInt(8)) + "\",\"unit_price\":"
                            + (invalid ? "-1" : bound ? "1000000" : (1 + random.nextInt(300)) + ".99") + ",\"unit_cost\":"
                            + (bound ? "1000000" : "1.00") + ",\"updated_at\":\"" + ts + "\"}";
                }
                case "orders" -> {
                    key = prefix + "-o" + i;
                    String status = List.of("placed", "paid", "shipped", "delivered", "cancelled", "returned").get(random.nextInt(6));
                    line = "{\"order_id\":\"" + key + "\",\"customer_id\":\"" + prefix + "-c" + random.nextInt(20)
                            + "\",\"order_ts\":\"" + ts + "\",\"status\":\"" + (invalid ? "lost" : status)
                            + "\",\"channel\":\"" + List.of("web", "mobile", "marketplace").get(random.nextInt(3))
                            + "\",\"updated_at\":\"" + ts + "\"}";
                }
                case "order_items" -> {
                    int lineNumber = bound ? 1000 : 1 + random.nextInt(3);
                    key = prefix + "-o" + i + "#" + lineNumber;
                    line = "{\"order_id\":\"" + prefix + "-o" + i + "\",\"line_number\":" + lineNumber + ",\"product_id\":\""
                            + prefix + "-p" + random.nextInt(10) + "\",\"quantity\":" + (invalid ? 0 : bound ? 10000 : 1 + random.nextInt(4))
                            + ",\"unit_price\":" + (bound ? "1000000" : (1 + random.nextInt(300)) + ".50")
                            + ",\"discount\":" + (bound && i == 1 ? "10000000000" : "0") + "}";
                }
                default -> {
                    key = prefix + "-pay" + i;
                    line = "{\"payment_id\":\"" + key + "\",\"order_id\":\"" + prefix + "-o" + i + "\",\"method\":\""
                            + List.of("credit_card", "debit_card", "paypal", "gift_card", "bank_transfer").get(random.nextInt(5))
                            + "\",\"amount\":" + (invalid ? "0" : bound ? "10000000000" : (1 + random.nextInt(900)) + ".25")
                            + ",\"status\":\"captured\",\"paid_at\":\"" + ts + "\"}";
                }
            }
            body.append(line).append('\n');
            if (invalid) {
                bad++;
            } else {
                keys.put(key, Boolean.TRUE);
                if (bound) {
                    boundRows.increment();
                }
            }
        }
        String idempotencyKey = prefix + "-" + entity;
        HttpResponse<String> response = post(entity, "application/x-ndjson", body.toString().getBytes(StandardCharsets.UTF_8),
                idempotencyKey);
        if (response == null) {
            return null;
        }
        if (response.statusCode() != 201) {
            System.err.printf("unexpected %d for %s: %s%n", response.statusCode(), idempotencyKey, response.body());
            return null;
        }
        JsonNode report = JSON.readTree(response.body());
        newBatches.increment();
        rowsSent.add(rows);
        rowsBadSent.add(bad);
        acceptedKeys.get(entity).putAll(keys);
        return new Sent(entity, idempotencyKey, body.toString(), report);
    }

    private void replay(Sent sent) throws Exception {
        HttpResponse<String> response = post(sent.entity(), "application/x-ndjson", sent.body().getBytes(StandardCharsets.UTF_8),
                sent.key());
        replays.increment();
        if (response == null) {
            return;
        }
        JsonNode again = response.statusCode() < 300 ? JSON.readTree(response.body()) : null;
        if (again == null || !again.path("batch_id").equals(sent.report().path("batch_id"))
                || !again.path("loaded").equals(sent.report().path("loaded"))) {
            replayMismatches.increment();
            System.err.printf("replay of %s answered %d: %s%n", sent.key(), response.statusCode(), response.body());
        }
    }

    /** A body no batch can be made of: each must be refused with a 4xx, never a 5xx, and leave no rows. */
    private void pushHostile(Random random, String entity) throws Exception {
        byte[] body;
        String type = "application/x-ndjson";
        switch (random.nextInt(6)) {
            case 0 -> body = new byte[] {(byte) 0xC3, (byte) 0x28, '\n'}; // not UTF-8
            case 1 -> {
                body = "<xml/>".getBytes(StandardCharsets.UTF_8);
                type = "application/xml";
            }
            case 2 -> body = ("{\"order_id\":\"" + "x".repeat((1 << 20) + 10) + "\"}\n").getBytes(StandardCharsets.UTF_8);
            case 3 -> {
                body = "no,header,we,know\n1,2,3,4\n".getBytes(StandardCharsets.UTF_8);
                type = "text/csv";
            }
            case 4 -> body = new byte[0];
            default -> {
                body = "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
                type = "text/csv; charset=latin1";
            }
        }
        // its own key prefix: a hostile body that still makes a batch (an empty one, say) is not the soak's data
        HttpResponse<String> response = post(entity, type, body, "soakx-" + runId + "-" + random.nextLong());
        hostile.increment();
        if (response != null) {
            hostileStatuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
        }
    }

    private HttpResponse<String> post(String entity, String contentType, byte[] body, String idempotencyKey) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestion + "/api/v1/batches/" + entity))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType).header("Authorization", authorization)
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            ingestionStatuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
            return response;
        } catch (IOException e) {
            transportErrors.increment();
            System.err.println("ingestion " + entity + ": " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String question(Random random) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from = today.minusDays(1 + random.nextInt(120));
        LocalDate to = from.plusDays(random.nextInt(90));
        String range = "from=" + from + "&to=" + to;
        return switch (random.nextInt(10)) {
            case 0 -> "/api/v1/kpis/summary?" + range;
            case 1 -> "/api/v1/kpis/revenue?granularity=" + List.of("day", "week", "month").get(random.nextInt(3)) + "&" + range;
            case 2 -> "/api/v1/kpis/revenue-by-category?" + range;
            case 3 -> "/api/v1/kpis/top-products?by=" + (random.nextBoolean() ? "revenue" : "units") + "&limit="
                    + (1 + random.nextInt(50)) + "&" + range;
            case 4 -> "/api/v1/kpis/geography?level=" + (random.nextBoolean() ? "country" : "state") + "&" + range;
            case 5 -> "/api/v1/kpis/payment-methods?" + range;
            case 6 -> "/api/v1/kpis/weekday?" + range;
            case 7 -> "/api/v1/kpis/cohorts?from=" + from.toString().substring(0, 7) + "&to=" + to.toString().substring(0, 7);
            case 8 -> "/api/v1/kpis/customer-ltv?limit=" + (1 + random.nextInt(100));
            default -> "/api/v1/pipeline/status";
        };
    }

    private void ask(String path) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(analytics + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.discarding());
            long micros = (System.nanoTime() - t0) / 1000;
            analyticsStatuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
            analyticsMicros.add(micros);
            String endpoint = path.replaceAll("\\?.*", "");
            analyticsByEndpoint.computeIfAbsent(endpoint, e -> Collections.synchronizedList(new ArrayList<>())).add(micros);
        } catch (IOException e) {
            transportErrors.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void nudge(String transform) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(transform + "/api/v1/transform-runs")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the sweep will do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Long> ledgerByStatus(Connection c) throws Exception {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT status, count(*) FROM pipeline.batch "
                + "WHERE idempotency_key LIKE 'soak-" + runId + "-%' GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                byStatus.put(rs.getString(1), rs.getLong(2));
            }
        }
        return byStatus;
    }

    private int report(Connection c, Map<String, Long> byStatus, Map<String, Long> rssStart, Map<String, Long> rssEnd)
            throws Exception {
        boolean ok = true;
        String like = "'soak-" + runId + "-%'";
        long ledgerBatches;
        long ledgerReceived;
        long ledgerLoaded;
        long ledgerQuarantined;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(received), 0), "
                + "coalesce(sum(loaded), 0), coalesce(sum(quarantined), 0) FROM pipeline.batch WHERE idempotency_key LIKE " + like)) {
            rs.next();
            ledgerBatches = rs.getLong(1);
            ledgerReceived = rs.getLong(2);
            ledgerLoaded = rs.getLong(3);
            ledgerQuarantined = rs.getLong(4);
        }
        System.out.println();
        System.out.println("=== Soak " + runId + " ===");
        System.out.printf("%-46s %14s %14s %s%n", "", "sent", "ledger", "");
        ok &= row("batches (new; replays and hostile excluded)", newBatches.sum(), ledgerBatches);
        ok &= row("rows received", rowsSent.sum(), ledgerReceived);
        ok &= row("rows loaded", rowsSent.sum() - rowsBadSent.sum(), ledgerLoaded);
        ok &= row("rows quarantined", rowsBadSent.sum(), ledgerQuarantined);
        System.out.printf("%-46s %14s %14s%n", "", "accepted keys", "staging");
        for (String entity : ENTITIES) {
            long inStaging;
            String table = "staging." + entity;
            String prefixColumn = entity.equals("order_items") ? "order_id" : KEY_COLUMN.get(entity);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(DISTINCT "
                    + KEY_COLUMN.get(entity) + ") FROM " + table + " WHERE " + prefixColumn + " LIKE " + like)) {
                rs.next();
                inStaging = rs.getLong(1);
            }
            ok &= row("  " + entity, acceptedKeys.get(entity).size(), inStaging);
        }
        long quarantineRows;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM quarantine.rejected_row q "
                + "JOIN pipeline.batch b USING (batch_id) WHERE b.idempotency_key LIKE " + like)) {
            rs.next();
            quarantineRows = rs.getLong(1);
        }
        ok &= row("quarantine rows", rowsBadSent.sum(), quarantineRows);
        System.out.printf("rows at the bounds sent (valid): %d%n", boundRows.sum());
        System.out.printf("replays: %d (answers differing from the first: %d)%n", replays.sum(), replayMismatches.sum());
        System.out.printf("hostile bodies: %d, answered %s%n", hostile.sum(), statuses(hostileStatuses));
        ok &= replayMismatches.sum() == 0;
        System.out.printf("ledger after the drain: %s%n", byStatus);
        ok &= byStatus.keySet().stream().allMatch(s -> s.equals("published"));
        long fiveXx = count5xx(ingestionStatuses) + count5xx(analyticsStatuses);
        System.out.printf("ingestion answers: %s%nanalytics answers: %s%n", statuses(ingestionStatuses), statuses(analyticsStatuses));
        System.out.printf("5xx answers: %d   transport errors: %d%n", fiveXx, transportErrors.sum());
        ok &= fiveXx == 0 && transportErrors.sum() == 0;
        List<Long> all = new ArrayList<>(analyticsMicros);
        System.out.printf("analytics under load: %d answers, %.1f req/s asked, p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                        + "(ticks skipped with 32 in flight: %d)%n",
                all.size(), all.size() / (double) Math.max(1, seconds), pct(all, 50), pct(all, 99), pct(all, 100),
                analyticsDropped.get());
        new java.util.TreeMap<>(analyticsByEndpoint).forEach((e, l) -> System.out.printf("  %-36s %6d  p99 %7.1f ms%n", e,
                l.size(), pct(new ArrayList<>(l), 99)));
        System.out.printf("%-22s %12s %12s%n", "RSS (MiB)", "start", "end");
        for (String service : rssStart.keySet()) {
            System.out.printf("%-22s %12d %12d%n", service, rssStart.get(service) / 1024, rssEnd.getOrDefault(service, -1L) / 1024);
        }
        System.out.println(ok ? "RESULT: nothing lost, nothing twice, no 5xx" : "RESULT: FAILED (see the lines above)");
        return ok ? 0 : 1;
    }

    private static boolean row(String name, long sent, long ledger) {
        boolean ok = sent == ledger;
        System.out.printf("%-46s %14d %14d %s%n", name, sent, ledger, ok ? "ok" : "MISMATCH");
        return ok;
    }

    private static long count5xx(Map<Integer, LongAdder> statuses) {
        return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().sum()).sum();
    }

    private static String statuses(Map<Integer, LongAdder> statuses) {
        return new java.util.TreeMap<>(statuses).toString();
    }

    private static double pct(List<Long> micros, int p) {
        if (micros.isEmpty()) {
            return 0;
        }
        Collections.sort(micros);
        int index = (int) Math.ceil(p / 100.0 * micros.size()) - 1;
        return micros.get(Math.max(0, Math.min(micros.size() - 1, index))) / 1000.0;
    }

    /** VmRSS in KiB of every service whose pid file is in {@code dir}. */
    private static Map<String, Long> rss(Path dir) throws IOException {
        Map<String, Long> rss = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).sorted().toList()) {
                String pid = Files.readString(pidFile).strip();
                Path status = Path.of("/proc", pid, "status");
                if (!Files.exists(status)) {
                    continue;
                }
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        rss.put(pidFile.getFileName().toString().replace(".pid", ""),
                                Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
            }
        }
        return rss;
    }

}
