package dev.shopflow.ingestion.service;

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
 * The shop database of {@link ShopSourceDatabase} as a source followed by change data capture: a
 * second embedded PostgreSQL with logical replication on, a role that may replicate and read (not
 * own) the shop's tables, and a publication its DBA made; the mappings expose the source keys their
 * {@code follows} match on.
 */
public class CaptureShopSource implements QuarkusTestResourceLifecycleManager {

    static EmbeddedPostgres shop;

    static final String CAPTURE_SETUP = """
            ALTER TABLE shop.category_translation ADD COLUMN modified timestamp NOT NULL DEFAULT '2025-01-01';
            CREATE ROLE shop_capture LOGIN REPLICATION PASSWORD 'capture-secret';
            GRANT USAGE ON SCHEMA shop TO shop_capture;
            GRANT SELECT ON ALL TABLES IN SCHEMA shop TO shop_capture;
            CREATE PUBLICATION shopflow_shopcdc FOR TABLE shop.person, shop.address, shop.category_translation, shop.item,
                shop.purchase, shop.purchase_line, shop.installment;
            """;

    static final String SOURCES = """
            sources:
              - name: shopcdc
                url: jdbc:postgresql://localhost:%d/postgres
                user: shop_capture
                password_file: %s
                timezone: Europe/Berlin
                capture:
                  create_publication: false
                  interval: 500ms
                entities:
                  customers:
                    cursor: updated_at
                    follows:
                      - {table: shop.person, column: person_id, match: src_person_id}
                      - {table: shop.address, column: person_id, match: src_person_id}
                    query: |
                      SELECT 'P-' || p.person_id AS customer_id, p.person_id AS src_person_id, p.email,
                             p.given_name AS first_name, p.family_name AS last_name, a.city, a.region AS state,
                             upper(a.country_code) AS country, p.created AS signup_at, p.modified AS updated_at
                      FROM shop.person p JOIN shop.address a USING (person_id)
                  products:
                    cursor: updated_at
                    follows:
                      - {table: shop.item, column: sku, match: product_id}
                      - {table: shop.category_translation, column: kategorie, match: src_kategorie}
                    query: |
                      SELECT i.sku AS product_id, i.kategorie AS src_kategorie, i.title AS name,
                             coalesce(t.category, i.kategorie) AS category, i.price AS unit_price, i.cost AS unit_cost,
                             greatest(i.modified, t.modified) AS updated_at
                      FROM shop.item i LEFT JOIN shop.category_translation t USING (kategorie)
                  orders:
                    cursor: updated_at
                    follows:
                      - {table: shop.purchase, column: purchase_no, match: src_purchase_no}
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, purchase_no AS src_purchase_no, 'P-' || person_id AS customer_id,
                             placed AS order_ts,
                             CASE WHEN cancelled IS NOT NULL THEN 'cancelled' WHEN delivered IS NOT NULL THEN 'delivered'
                                  WHEN shipped IS NOT NULL THEN 'shipped' WHEN paid IS NOT NULL THEN 'paid' ELSE 'placed' END AS status,
                             channel, modified AS updated_at
                      FROM shop.purchase
                  order_items:
                    cursor: modified
                    follows:
                      - {table: shop.purchase_line, column: purchase_no, match: src_purchase_no}
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, purchase_no AS src_purchase_no, line_no AS line_number,
                             sku AS product_id, qty AS quantity, price AS unit_price, discount, modified
                      FROM shop.purchase_line
                  payments:
                    cursor: modified
                    follows:
                      - {table: shop.installment, column: purchase_no, match: src_purchase_no}
                    query: |
                      SELECT 'PAY-' || purchase_no || '-' || installment_no AS payment_id, purchase_no AS src_purchase_no,
                             'O-' || purchase_no AS order_id, method, amount, 'captured' AS status, paid AS paid_at, modified
                      FROM shop.installment
            """;

    @Override
    public Map<String, String> start() {
        try {
            shop = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical").setServerConfig("max_wal_senders", "4")
                    .setServerConfig("max_replication_slots", "4").start();
            Path dir = Files.createTempDirectory("shopflow-capture-");
            Path password = dir.resolve("capture-password");
            Files.writeString(password, "capture-secret\n");
            try (Connection c = shop.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute(ShopSourceDatabase.SCHEMA);
                st.execute(CAPTURE_SETUP);
                for (String s : ShopSourceDatabase.SEED) {
                    st.execute(s);
                }
            }
            Path file = dir.resolve("sources.yaml");
            Files.writeString(file, SOURCES.formatted(shop.getPort(), password));
            // a failed capture is tried again soon in tests
            return Map.of("shopflow.sources.file", file.toString(), "shopflow.sources.retry-initial", "2s",
                    "shopflow.sources.retry-max", "4s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements on the shop's database in one transaction, as the shop's own application would. */
    static void shop(String... statements) throws SQLException {
        try (Connection c = shop.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (String s : statements) {
                st.execute(s);
            }
            c.commit();
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
