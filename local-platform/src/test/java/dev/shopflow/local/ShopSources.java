package dev.shopflow.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopflow.common.testing.MariaDbServer;
import dev.shopflow.common.testing.ShopSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A shop's own data in a schema that is not ShopFlow's (people with addresses in their own table, items
 * with German categories and a translation table, purchases with lifecycle timestamps in local time,
 * lines, payments in installments), and the three places the end-to-end platform reads it from: a
 * PostgreSQL followed by change data capture, a MariaDB pulled by runs, and a folder of CSV exports.
 * The same shop is also written as ShopFlow's own records, to be pushed: SourcesIT compares the KPIs.
 *
 * <p>One shop, four copies: copy {@code k} has its keys offset by k (people k*1000+i, purchases
 * k*100000+n, items K{k}-SKU-j) and its dates moved k weeks on, so the KPIs of copy k's week equal those
 * of copy 0's week, shifted.
 */
final class ShopSources implements AutoCloseable {

    static final ZoneId SHOP_ZONE = ZoneId.of("Europe/Berlin");
    /** Copy 0's first day (a Monday); copy k starts k weeks later. */
    static final LocalDate BASE = LocalDate.of(2024, 6, 3);
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    static final String PG_SCHEMA = ShopSchema.POSTGRES + """
            CREATE ROLE shop_capture LOGIN REPLICATION PASSWORD 'capture-secret';
            GRANT USAGE ON SCHEMA shop TO shop_capture;
            GRANT SELECT ON ALL TABLES IN SCHEMA shop TO shop_capture;
            CREATE PUBLICATION shopflow_shoppg FOR TABLE shop.person, shop.address, shop.item, shop.purchase,
                shop.purchase_line, shop.installment;
            """;

    static final String MARIA_SCHEMA = ShopSchema.MARIADB;

    static final String TRANSLATIONS = "INSERT INTO shop.category_translation VALUES ('Spielzeug', 'toys'), "
            + "('Bücher', 'books'), ('Garten', 'garden')";

    /** The status of a purchase, from its lifecycle timestamps (each mapping says it in its SQL). */
    private static final String PG_STATUS = "CASE WHEN cancelled IS NOT NULL THEN 'cancelled' WHEN delivered IS NOT NULL THEN "
            + "'delivered' WHEN shipped IS NOT NULL THEN 'shipped' WHEN paid IS NOT NULL THEN 'paid' ELSE 'placed' END";

    static final String SOURCES = """
            sources:
              - name: shoppg
                url: jdbc:postgresql://localhost:%1$d/postgres
                user: shop_capture
                password_file: %2$s
                timezone: Europe/Berlin
                capture: {create_publication: false, interval: 1s}
                entities:
                  customers:
                    cursor: updated_at
                    follows:
                      - {table: shop.person, column: person_id, match: src_id}
                      - {table: shop.address, column: person_id, match: src_id}
                    query: |
                      SELECT 'P-' || p.person_id AS customer_id, p.person_id AS src_id, p.email, p.given_name AS first_name,
                             p.family_name AS last_name, a.city, a.region AS state, upper(a.country_code) AS country,
                             p.created AS signup_at, p.modified AS updated_at
                      FROM shop.person p JOIN shop.address a USING (person_id)
                  products:
                    cursor: updated_at
                    follows: [{table: shop.item, column: sku, match: product_id}]
                    query: |
                      SELECT i.sku AS product_id, i.title AS name, coalesce(t.category, i.kategorie) AS category,
                             i.price AS unit_price, i.cost AS unit_cost, i.modified AS updated_at
                      FROM shop.item i LEFT JOIN shop.category_translation t USING (kategorie)
                  orders:
                    cursor: updated_at
                    follows: [{table: shop.purchase, column: purchase_no, match: src_no}]
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, purchase_no AS src_no, 'P-' || person_id AS customer_id,
                             placed AS order_ts, %3$s AS status, channel, modified AS updated_at
                      FROM shop.purchase
                  order_items:
                    cursor: modified
                    follows: [{table: shop.purchase_line, column: purchase_no, match: src_no}]
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, purchase_no AS src_no, line_no AS line_number, sku AS product_id,
                             qty AS quantity, price AS unit_price, discount, modified
                      FROM shop.purchase_line
                  payments:
                    cursor: modified
                    follows: [{table: shop.installment, column: purchase_no, match: src_no}]
                    query: |
                      SELECT 'PAY-' || purchase_no || '-' || installment_no AS payment_id, purchase_no AS src_no,
                             'O-' || purchase_no AS order_id, method, amount, 'captured' AS status, paid AS paid_at, modified
                      FROM shop.installment
              - name: shopmaria
                url: jdbc:mariadb://127.0.0.1:%4$d/shop
                user: shop_reader
                password_file: %5$s
                timezone: Europe/Berlin
                entities:
                  %7$s
              - name: shopfiles
                kind: files
                path: %6$s
                timezone: Europe/Berlin
                entities:
                  customers:
                    cursor: updated_at
                    query: |
                      SELECT 'P-' || p.person_id AS customer_id, p.email, p.given_name AS first_name, p.family_name AS last_name,
                             a.city, a.region AS state, upper(a.country_code) AS country,
                             CAST(p.created AS TIMESTAMP) AS signup_at, CAST(p.modified AS TIMESTAMP) AS updated_at
                      FROM read_csv('person.csv', header = true, all_varchar = true) p
                      JOIN read_csv('address.csv', header = true, all_varchar = true) a USING (person_id)
                  products:
                    cursor: updated_at
                    query: |
                      SELECT i.sku AS product_id, i.title AS name, coalesce(t.category, i.kategorie) AS category,
                             CAST(i.price AS DECIMAL(10,2)) AS unit_price, CAST(i.cost AS DECIMAL(10,2)) AS unit_cost,
                             CAST(i.modified AS TIMESTAMP) AS updated_at
                      FROM read_csv('item.csv', header = true, all_varchar = true) i
                      LEFT JOIN read_csv('category_translation.csv', header = true, all_varchar = true) t USING (kategorie)
                  orders:
                    cursor: updated_at
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, 'P-' || person_id AS customer_id,
                             CAST(placed AS TIMESTAMP) AS order_ts, %3$s AS status, channel, CAST(modified AS TIMESTAMP) AS updated_at
                      FROM read_csv('purchase.csv', header = true, all_varchar = true)
                  order_items:
                    cursor: modified
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, CAST(line_no AS INTEGER) AS line_number, sku AS product_id,
                             CAST(qty AS INTEGER) AS quantity, CAST(price AS DECIMAL(10,2)) AS unit_price,
                             CAST(discount AS DECIMAL(10,2)) AS discount, CAST(modified AS TIMESTAMP) AS modified
                      FROM read_csv('purchase_line.csv', header = true, all_varchar = true)
                  payments:
                    cursor: modified
                    query: |
                      SELECT 'PAY-' || purchase_no || '-' || installment_no AS payment_id, 'O-' || purchase_no AS order_id,
                             method, CAST(amount AS DECIMAL(10,2)) AS amount, 'captured' AS status,
                             CAST(paid AS TIMESTAMP) AS paid_at, CAST(modified AS TIMESTAMP) AS modified
                      FROM read_csv('installment.csv', header = true, all_varchar = true)
            """;

    // --- the shop's rows (local time, as the shop's application writes them)
    record Person(int id, String email, String given, String family, LocalDateTime created, String city, String country) {
    }

    record Item(String sku, String title, String kategorie, BigDecimal price, BigDecimal cost, LocalDateTime modified) {
    }

    record Purchase(int no, int person, LocalDateTime placed, LocalDateTime paid, LocalDateTime shipped, LocalDateTime delivered,
            LocalDateTime cancelled, String channel, LocalDateTime modified) {

        String status() {
            return cancelled != null ? "cancelled" : delivered != null ? "delivered" : shipped != null ? "shipped"
                    : paid != null ? "paid" : "placed";
        }
    }

    record Line(int no, int line, String sku, int qty, BigDecimal price, BigDecimal discount, LocalDateTime modified) {
    }

    record Installment(int no, int index, String method, BigDecimal amount, LocalDateTime paid, LocalDateTime modified) {
    }

    /** One copy of the shop. */
    record Shop(List<Person> people, List<Item> items, List<Purchase> purchases, List<Line> lines, List<Installment> installments) {
    }

    /** Copy {@code k} of the shop: the same draws (one seed), its keys offset and its dates k weeks on. */
    static Shop copy(int k) {
        return copy(k, 40);
    }

    /** Copy {@code k} with {@code orders} purchases (the fault tests' larger copies). */
    static Shop copy(int k, int orders) {
        Random r = new Random(20240603);
        int weeks = 7 * k;
        LocalDateTime start = BASE.plusDays(weeks).atStartOfDay();
        String[] cities = {"Berlin", "Lyon", "Leeds", "Hamburg", "Paris"};
        String[] countries = {"de", "fr", "gb", "de", "fr"};
        List<Person> people = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            int c = r.nextInt(cities.length);
            people.add(new Person(k * 1000 + i, "p" + (k * 1000 + i) + "@example.com", "Given" + i, "Family" + i,
                    start.minusDays(30).plusHours(i), cities[c], countries[c]));
        }
        String[] kategorien = {"Spielzeug", "Bücher", "Garten"};
        List<Item> items = new ArrayList<>();
        for (int j = 1; j <= 6; j++) {
            BigDecimal price = BigDecimal.valueOf(500 + 350L * j + r.nextInt(100), 2);
            items.add(new Item("K" + k + "-SKU-" + j, "Item " + j, kategorien[j % 3], price,
                    price.divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP), start.minusDays(40)));
        }
        String[] channels = {"web", "mobile", "marketplace"};
        String[] methods = {"credit_card", "paypal", "gift_card", "bank_transfer"};
        List<Purchase> purchases = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        List<Installment> installments = new ArrayList<>();
        for (int n = 1; n <= orders; n++) {
            int no = k * 100000 + n;
            // any minute of the week, in the shop's local time: some land on the day before in UTC
            LocalDateTime placed = start.plusMinutes(r.nextInt(7 * 24 * 60));
            int fate = r.nextInt(10);
            LocalDateTime paid = fate >= 1 ? placed.plusMinutes(5) : null;
            LocalDateTime shipped = fate >= 4 ? placed.plusHours(20) : null;
            LocalDateTime delivered = fate >= 7 ? placed.plusDays(2) : null;
            LocalDateTime cancelled = fate == 3 ? placed.plusHours(1) : null;
            Purchase p = new Purchase(no, k * 1000 + 1 + r.nextInt(12), placed, paid, shipped, delivered, cancelled,
                    channels[r.nextInt(3)], placed.plusHours(1));
            purchases.add(p);
            BigDecimal total = BigDecimal.ZERO;
            int lineCount = 1 + r.nextInt(3);
            for (int l = 1; l <= lineCount; l++) {
                Item item = items.get(r.nextInt(items.size()));
                int qty = 1 + r.nextInt(3);
                BigDecimal discount = r.nextInt(4) == 0 ? new BigDecimal("1.00") : new BigDecimal("0.00");
                lines.add(new Line(no, l, item.sku(), qty, item.price(), discount, placed));
                total = total.add(item.price().multiply(BigDecimal.valueOf(qty))).subtract(discount);
            }
            if (paid != null) {
                int parts = 1 + r.nextInt(2);
                BigDecimal first = total.divide(BigDecimal.valueOf(parts), 2, RoundingMode.DOWN);
                String method = methods[r.nextInt(methods.length)];
                for (int i = 1; i <= parts; i++) {
                    BigDecimal amount = i < parts ? first : total.subtract(first.multiply(BigDecimal.valueOf(parts - 1)));
                    installments.add(new Installment(no, i, method, amount, paid.plusDays(30L * (i - 1)), paid));
                }
            }
        }
        return new Shop(people, items, purchases, lines, installments);
    }

    // --- the shop as SQL (PostgreSQL and MariaDB take the same INSERTs; the shop. qualifier is PostgreSQL's schema)
    static List<String> inserts(Shop s) {
        List<String> out = new ArrayList<>();
        out.add("INSERT INTO shop.person VALUES " + join(s.people(), p -> row(p.id(), p.email(), p.given(), p.family(), p.created(),
                p.created())));
        out.add("INSERT INTO shop.address VALUES " + join(s.people(), p -> row(p.id(), p.city(), null, p.country())));
        out.add("INSERT INTO shop.item VALUES " + join(s.items(), i -> row(i.sku(), i.title(), i.kategorie(), i.price(), i.cost(),
                i.modified())));
        out.add("INSERT INTO shop.purchase VALUES " + join(s.purchases(), p -> row(p.no(), p.person(), p.placed(), p.paid(),
                p.shipped(), p.delivered(), p.cancelled(), p.channel(), p.modified())));
        out.add("INSERT INTO shop.purchase_line VALUES " + join(s.lines(), l -> row(l.no(), l.line(), l.sku(), l.qty(), l.price(),
                l.discount(), l.modified())));
        out.add("INSERT INTO shop.installment VALUES " + join(s.installments(), i -> row(i.no(), i.index(), i.method(), i.amount(),
                i.paid(), i.modified())));
        return out;
    }

    private static <T> String join(List<T> rows, Function<T, String> row) {
        return rows.stream().map(row).collect(Collectors.joining(", "));
    }

    private static String row(Object... values) {
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            if (v == null) {
                out.add("NULL");
            } else if (v instanceof Number) {
                out.add(v.toString());
            } else if (v instanceof LocalDateTime t) {
                out.add("'" + SQL_TIME.format(t) + "'");
            } else {
                out.add("'" + v.toString().replace("'", "''") + "'");
            }
        }
        return "(" + String.join(", ", out) + ")";
    }

    // --- the shop as a folder of CSV exports (local times without a zone, empty for none)
    static void writeCsv(Shop s, Path folder) throws IOException {
        csv(folder.resolve("person.csv"), "person_id,email,given_name,family_name,created,modified", s.people(),
                p -> List.of(p.id(), p.email(), p.given(), p.family(), p.created(), p.created()));
        csv(folder.resolve("address.csv"), "person_id,city,region,country_code", s.people(),
                p -> java.util.Arrays.asList(p.id(), p.city(), null, p.country()));
        csv(folder.resolve("category_translation.csv"), "kategorie,category", List.of(new String[] {"Spielzeug", "toys"},
                new String[] {"Bücher", "books"}, new String[] {"Garten", "garden"}), t -> List.of(t[0], t[1]));
        csv(folder.resolve("item.csv"), "sku,title,kategorie,price,cost,modified", s.items(),
                i -> List.of(i.sku(), i.title(), i.kategorie(), i.price(), i.cost(), i.modified()));
        csv(folder.resolve("purchase.csv"), "purchase_no,person_id,placed,paid,shipped,delivered,cancelled,channel,modified",
                s.purchases(), p -> java.util.Arrays.asList(p.no(), p.person(), p.placed(), p.paid(), p.shipped(), p.delivered(),
                        p.cancelled(), p.channel(), p.modified()));
        csv(folder.resolve("purchase_line.csv"), "purchase_no,line_no,sku,qty,price,discount,modified", s.lines(),
                l -> List.of(l.no(), l.line(), l.sku(), l.qty(), l.price(), l.discount(), l.modified()));
        csv(folder.resolve("installment.csv"), "purchase_no,installment_no,method,amount,paid,modified", s.installments(),
                i -> List.of(i.no(), i.index(), i.method(), i.amount(), i.paid(), i.modified()));
    }

    /** Header-only exports: the mappings plan (the service checks them at start) before the shop exports anything. */
    static void writeEmptyCsv(Path folder) throws IOException {
        writeCsv(new Shop(List.of(), List.of(), List.of(), List.of(), List.of()), folder);
    }

    private static <T> void csv(Path file, String header, List<T> rows, Function<T, List<?>> fields) throws IOException {
        StringBuilder out = new StringBuilder(header).append('\n');
        for (T row : rows) {
            out.append(fields.apply(row).stream().map(v -> v == null ? "" : v instanceof LocalDateTime t ? SQL_TIME.format(t)
                    : v.toString()).collect(Collectors.joining(","))).append('\n');
        }
        Files.writeString(file, out.toString());
    }

    // --- the shop as ShopFlow's records, converted as the mappings convert (what a hand-written converter would push)
    static String customers(Shop s, ObjectMapper json) {
        return ndjson(s.people(), p -> json.createObjectNode().put("customer_id", "P-" + p.id()).put("email", p.email())
                .put("first_name", p.given()).put("last_name", p.family()).put("city", p.city())
                .put("country", p.country().toUpperCase(Locale.ROOT)).put("signup_at", utc(p.created()))
                .put("updated_at", utc(p.created())));
    }

    static String products(Shop s, ObjectMapper json) {
        return ndjson(s.items(), i -> json.createObjectNode().put("product_id", i.sku()).put("name", i.title())
                .put("category", switch (i.kategorie()) {
                    case "Spielzeug" -> "toys";
                    case "Bücher" -> "books";
                    default -> "garden";
                }).put("unit_price", i.price()).put("unit_cost", i.cost()).put("updated_at", utc(i.modified())));
    }

    static String orders(Shop s, ObjectMapper json) {
        return ndjson(s.purchases(), p -> json.createObjectNode().put("order_id", "O-" + p.no()).put("customer_id", "P-" + p.person())
                .put("order_ts", utc(p.placed())).put("status", p.status()).put("channel", p.channel())
                .put("updated_at", utc(p.modified())));
    }

    static String orderItems(Shop s, ObjectMapper json) {
        return ndjson(s.lines(), l -> json.createObjectNode().put("order_id", "O-" + l.no()).put("line_number", l.line())
                .put("product_id", l.sku()).put("quantity", l.qty()).put("unit_price", l.price()).put("discount", l.discount()));
    }

    static String payments(Shop s, ObjectMapper json) {
        return ndjson(s.installments(), i -> json.createObjectNode().put("payment_id", "PAY-" + i.no() + "-" + i.index())
                .put("order_id", "O-" + i.no()).put("method", i.method()).put("amount", i.amount()).put("status", "captured")
                .put("paid_at", utc(i.paid())));
    }

    private static <T> String ndjson(List<T> rows, Function<T, ObjectNode> record) {
        return rows.stream().map(r -> record.apply(r).toString()).collect(Collectors.joining("\n")) + "\n";
    }

    static String utc(LocalDateTime local) {
        return local.atZone(SHOP_ZONE).toInstant().toString();
    }

    // --- the three places, started before the platform (the sources file names them)
    static final int SHOP_PG_PORT = 25436;
    final Process postgres;
    final String postgresUrl;
    final MariaDbServer maria;
    final Path files;

    private ShopSources(Process postgres, String postgresUrl, MariaDbServer maria, Path files) {
        this.postgres = postgres;
        this.postgresUrl = postgresUrl;
        this.maria = maria;
        this.files = files;
    }

    /**
     * The shop's PostgreSQL is the launcher's own embedded database ({@code db --logical true}) in a
     * process of its own, as bench/capture.sh starts it: logical decoding on, its JDBC URL in a file.
     */
    static ShopSources start(Path state, Path sourcesFile) throws Exception {
        Path ready = state.resolve("shop-pg.url");
        Files.deleteIfExists(ready);
        Process pg = new ProcessBuilder("java", "-Xmx128m", "-jar", LocalPlatformFixture.ROOT.resolve(
                "local-platform/target/local-platform.jar").toString(), "db", "--port", Integer.toString(SHOP_PG_PORT),
                "--data", state.resolve("shop-pg").toString(), "--logical", "true", "--ready-file", ready.toString())
                .redirectErrorStream(true).redirectOutput(state.resolve("shop-pg.log").toFile()).start();
        MariaDbServer maria = null;
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!Files.exists(ready) && pg.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            if (!Files.exists(ready)) {
                throw new IllegalStateException("the shop's PostgreSQL did not start: see " + state.resolve("shop-pg.log"));
            }
            String url = Files.readString(ready).strip();
            try (Connection c = java.sql.DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute(PG_SCHEMA);
                st.execute(TRANSLATIONS);
            }
            maria = MariaDbServer.start();
            for (String statement : MARIA_SCHEMA.split(";")) {
                maria.execute(statement);
            }
            maria.execute(TRANSLATIONS);
            Path files = Files.createDirectories(state.resolve("shop-exports"));
            writeEmptyCsv(files);
            Path pgPassword = state.resolve("shop-pg-password");
            Files.writeString(pgPassword, "capture-secret");
            Path mariaPassword = state.resolve("shop-maria-password");
            Files.writeString(mariaPassword, MariaDbServer.READER_PASSWORD);
            Files.writeString(sourcesFile, SOURCES.formatted(SHOP_PG_PORT, pgPassword, PG_STATUS, maria.port(), mariaPassword, files,
                    ShopSchema.MARIADB_MAPPINGS.strip()));
            return new ShopSources(pg, url, maria, files);
        } catch (Exception e) {
            pg.destroy();
            if (maria != null) {
                maria.close();
            }
            throw e;
        }
    }

    /** Runs statements on the shop's PostgreSQL in one transaction, as the shop's application would. */
    void postgres(String... statements) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(postgresUrl); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (String s : statements) {
                st.execute(s);
            }
            c.commit();
        }
    }

    @Override
    public void close() throws InterruptedException {
        postgres.destroy(); // SIGTERM: the launcher stops PostgreSQL before it exits
        postgres.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        maria.close();
    }
}
