package dev.shopflow.ingestion.service;

import dev.shopflow.common.testing.MariaDbServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * The same shop as {@link ShopSourceDatabase}, in a real MariaDB ({@link MariaDbServer}, Debian's
 * {@code mariadb-server}): DATETIME columns, CONCAT instead of ||, a read-only user. Writes a sources file
 * with the MariaDB forms of the mappings.
 */
public class MariaDbShopSource implements QuarkusTestResourceLifecycleManager {

    static MariaDbServer server;

    static final String SCHEMA = """
            CREATE TABLE person (person_id int PRIMARY KEY, email varchar(320), given_name varchar(100),
                family_name varchar(100), created datetime NOT NULL, modified datetime NOT NULL);
            CREATE TABLE address (person_id int PRIMARY KEY, city varchar(100), region varchar(100), country_code char(2));
            CREATE TABLE category_translation (kategorie varchar(100) PRIMARY KEY, category varchar(100));
            CREATE TABLE item (sku varchar(50) PRIMARY KEY, title varchar(200), kategorie varchar(100), price decimal(10,2),
                cost decimal(10,2), modified datetime NOT NULL);
            CREATE TABLE purchase (purchase_no int PRIMARY KEY, person_id int, placed datetime, paid datetime,
                shipped datetime, delivered datetime, cancelled datetime, channel varchar(20), modified datetime NOT NULL);
            CREATE TABLE purchase_line (purchase_no int, line_no int, sku varchar(50), qty int, price decimal(10,2),
                discount decimal(10,2), modified datetime NOT NULL, PRIMARY KEY (purchase_no, line_no));
            CREATE TABLE installment (purchase_no int, installment_no int, method varchar(20), amount decimal(10,2),
                paid datetime, modified datetime NOT NULL, PRIMARY KEY (purchase_no, installment_no))
            """;

    static final String SOURCES = """
            sources:
              - name: shopmaria
                url: jdbc:mariadb://127.0.0.1:%d/shop
                user: shop_reader
                password_file: %s
                timezone: Europe/Berlin
                batch_rows: 3
                entities:
                  customers:
                    cursor: updated_at
                    query: |
                      SELECT CONCAT('P-', p.person_id) AS customer_id, p.email, p.given_name AS first_name,
                             p.family_name AS last_name, a.city, a.region AS state, UPPER(a.country_code) AS country,
                             p.created AS signup_at, p.modified AS updated_at
                      FROM person p JOIN address a ON a.person_id = p.person_id
                  products:
                    cursor: updated_at
                    query: |
                      SELECT i.sku AS product_id, i.title AS name, COALESCE(t.category, i.kategorie) AS category,
                             i.price AS unit_price, i.cost AS unit_cost, i.modified AS updated_at
                      FROM item i LEFT JOIN category_translation t ON t.kategorie = i.kategorie
                  orders:
                    cursor: updated_at
                    query: |
                      SELECT CONCAT('O-', purchase_no) AS order_id, CONCAT('P-', person_id) AS customer_id, placed AS order_ts,
                             CASE WHEN cancelled IS NOT NULL THEN 'cancelled' WHEN delivered IS NOT NULL THEN 'delivered'
                                  WHEN shipped IS NOT NULL THEN 'shipped' WHEN paid IS NOT NULL THEN 'paid' ELSE 'placed' END AS status,
                             channel, modified AS updated_at
                      FROM purchase
                  order_items:
                    cursor: modified
                    query: |
                      SELECT CONCAT('O-', purchase_no) AS order_id, line_no AS line_number, sku AS product_id, qty AS quantity,
                             price AS unit_price, discount, modified
                      FROM purchase_line
                  payments:
                    cursor: modified
                    query: |
                      SELECT CONCAT('PAY-', purchase_no, '-', installment_no) AS payment_id, CONCAT('O-', purchase_no) AS order_id,
                             method, amount, 'captured' AS status, paid AS paid_at, modified
                      FROM installment
            """;

    @Override
    public Map<String, String> start() {
        try {
            server = MariaDbServer.start();
            for (String statement : SCHEMA.split(";")) {
                shop(statement);
            }
            Path password = server.dir().resolve("reader-password");
            Files.writeString(password, MariaDbServer.READER_PASSWORD);
            Path file = server.dir().resolve("sources.yaml");
            Files.writeString(file, SOURCES.formatted(server.port(), password));
            return Map.of("shopflow.sources.file", file.toString(), "shopflow.sources.retry-initial", "1h");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements on the shop's MariaDB, as the shop's own application would. */
    static void shop(String... statements) throws SQLException {
        server.execute(statements);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
