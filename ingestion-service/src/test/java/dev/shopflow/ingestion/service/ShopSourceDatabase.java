package dev.shopflow.ingestion.service;

import dev.shopflow.common.testing.ShopSchema;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A shop's own database, a second embedded PostgreSQL with a schema that is not ShopFlow's: people
 * with their addresses in another table, items with categories in German and a translation table,
 * purchases with lifecycle timestamps (local time, no zone), lines, payments in installments. Writes
 * a sources file mapping it to ShopFlow's records, beside a broken source and an unreachable one.
 */
public class ShopSourceDatabase implements QuarkusTestResourceLifecycleManager {

    static EmbeddedPostgres shop;
    static Path dir;

    static final String SCHEMA = ShopSchema.POSTGRES + """
            CREATE ROLE shop_reader LOGIN PASSWORD 'reader-secret';
            GRANT USAGE ON SCHEMA shop TO shop_reader;
            GRANT SELECT ON ALL TABLES IN SCHEMA shop TO shop_reader;
            """;

    static final String SOURCES = """
            sources:
              - name: shopdb
                url: jdbc:postgresql://localhost:%d/postgres
                user: shop_reader
                password_file: %s
                timezone: Europe/Berlin
                batch_rows: 3
                entities:
                  customers:
                    cursor: updated_at
                    query: |
                      SELECT 'P-' || p.person_id AS customer_id, p.email, p.given_name AS first_name,
                             p.family_name AS last_name, a.city, a.region AS state, upper(a.country_code) AS country,
                             p.created AS signup_at, p.modified AS updated_at
                      FROM shop.person p JOIN shop.address a USING (person_id)
                  products:
                    cursor: updated_at
                    query: |
                      SELECT i.sku AS product_id, i.title AS name, coalesce(t.category, i.kategorie) AS category,
                             i.price AS unit_price, i.cost AS unit_cost, i.modified AS updated_at
                      FROM shop.item i LEFT JOIN shop.category_translation t USING (kategorie)
                  orders:
                    cursor: updated_at
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, 'P-' || person_id AS customer_id, placed AS order_ts,
                             CASE WHEN cancelled IS NOT NULL THEN 'cancelled' WHEN delivered IS NOT NULL THEN 'delivered'
                                  WHEN shipped IS NOT NULL THEN 'shipped' WHEN paid IS NOT NULL THEN 'paid' ELSE 'placed' END AS status,
                             channel, modified AS updated_at
                      FROM shop.purchase
                  order_items:
                    cursor: modified
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, line_no AS line_number, sku AS product_id, qty AS quantity,
                             price AS unit_price, discount, modified
                      FROM shop.purchase_line
                  payments:
                    cursor: modified
                    query: |
                      SELECT 'PAY-' || purchase_no || '-' || installment_no AS payment_id, 'O-' || purchase_no AS order_id,
                             method, amount, 'captured' AS status, paid AS paid_at, modified
                      FROM shop.installment
              - name: broken
                url: jdbc:postgresql://localhost:%d/postgres
                password: inline-secret
                entities:
                  widgets: {query: "SELECT 1", cursor: x}
                  orders: {query: "SELECT * FROM shop.purchase"}
              - name: incomplete
                url: jdbc:postgresql://localhost:%d/postgres
                user: shop_reader
                password_file: %s
                entities:
                  customers:
                    cursor: modified
                    query: SELECT 'P-' || person_id AS customer_id, given_name AS first_name, modified FROM shop.person
              - name: unreachable
                url: jdbc:postgresql://127.0.0.1:1/postgres
                user: nobody
                entities:
                  customers: {query: "SELECT * FROM people", cursor: modified}
            """;

    /** The shop's first days: two people, two items, four purchases (split by batches of 3), lines, installments. */
    static final String[] SEED = {
        "INSERT INTO shop.person VALUES (1, 'ada@example.com', 'Ada', 'Lovelace', '2025-02-01 09:00', '2025-02-01 09:00'), "
                + "(2, 'alan@example.com', 'Alan', 'Turing', '2025-02-02 09:00', '2025-02-02 09:00')",
        "INSERT INTO shop.address VALUES (1, 'London', NULL, 'gb'), (2, 'Manchester', NULL, 'gb')",
        "INSERT INTO shop.category_translation VALUES ('Spielzeug', 'toys'), ('Bücher', 'books')",
        "INSERT INTO shop.item VALUES ('SKU-1', 'Kite', 'Spielzeug', 10.00, 4.00, '2025-01-01 00:00'), "
                + "('SKU-2', 'Atlas', 'Bücher', 25.00, NULL, '2025-01-01 00:00')",
        "INSERT INTO shop.purchase VALUES "
                + "(100, 1, '2025-03-01 10:00', '2025-03-01 10:05', NULL, NULL, NULL, 'web', '2025-03-01 10:05'), "
                + "(101, 1, '2025-03-02 10:00', '2025-03-02 10:05', '2025-03-03 08:00', NULL, NULL, 'mobile', '2025-03-03 08:00'), "
                + "(102, 2, '2025-03-02 23:30', NULL, NULL, NULL, NULL, 'web', '2025-03-02 23:30'), "
                + "(103, 2, '2025-03-04 12:00', '2025-03-04 12:01', NULL, NULL, NULL, 'marketplace', '2025-03-04 12:01')",
        "INSERT INTO shop.purchase_line VALUES (100, 1, 'SKU-1', 2, 10.00, 0, '2025-03-01 10:00'), "
                + "(101, 1, 'SKU-2', 1, 25.00, 5.00, '2025-03-02 10:00'), (102, 1, 'SKU-1', 1, 10.00, 0, '2025-03-02 23:30'), "
                + "(103, 1, 'SKU-1', 3, 10.00, 0, '2025-03-04 12:00'), (103, 2, 'SKU-2', 1, 25.00, 0, '2025-03-04 12:00')",
        "INSERT INTO shop.installment VALUES (100, 1, 'paypal', 10.00, '2025-03-01 10:05', '2025-03-01 10:05'), "
                + "(100, 2, 'paypal', 10.00, '2025-04-01 10:05', '2025-04-01 10:05'), "
                + "(101, 1, 'credit_card', 20.00, '2025-03-02 10:05', '2025-03-02 10:05')",
    };

    @Override
    public Map<String, String> start() {
        try {
            shop = EmbeddedPostgres.builder().start();
            dir = Files.createTempDirectory("shopflow-sources-");
            Path password = dir.resolve("shop-password");
            Files.writeString(password, "reader-secret\n");
            try (Connection c = shop.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute(SCHEMA);
            }
            Path file = dir.resolve("sources.yaml");
            Files.writeString(file, SOURCES.formatted(shop.getPort(), password, shop.getPort(), shop.getPort(), password));
            return Map.of("shopflow.sources.file", file.toString(), "shopflow.sources.retry-initial", "1h");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements on the shop's database, as the shop's own application would. */
    static void shop(String... statements) throws SQLException {
        try (Connection c = shop.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Override
    public void stop() {
        try {
            if (shop != null) {
                shop.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
