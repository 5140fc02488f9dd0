package dev.shopflow.ingestion.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The shop of {@link ShopSourceDatabase} as a folder of the files its systems export: CSV for people,
 * addresses, items, categories, purchases and lines, NDJSON for nothing but the category table's twin,
 * and Parquet for the installments (written here with DuckDB, as an export job would). The sources
 * file maps them with DuckDB's SQL.
 */
public class FilesShopSource implements QuarkusTestResourceLifecycleManager {

    static Path folder;

    static final String SOURCES = """
            sources:
              - name: exports
                kind: files
                path: %s
                timezone: Europe/Berlin
                batch_rows: 3
                entities:
                  customers:
                    cursor: updated_at
                    query: |
                      SELECT 'P-' || p.person_id AS customer_id, p.email, p.given_name AS first_name,
                             p.family_name AS last_name, a.city, a.region AS state, upper(a.country_code) AS country,
                             p.created AS signup_at, p.modified AS updated_at
                      FROM read_csv('person.csv', header = true) p
                      JOIN read_csv('address.csv', header = true, types = {'region': 'VARCHAR'}) a USING (person_id)
                  products:
                    cursor: updated_at
                    query: |
                      SELECT i.sku AS product_id, i.title AS name, coalesce(t.category, i.kategorie) AS category,
                             CAST(i.price AS DECIMAL(10,2)) AS unit_price, CAST(i.cost AS DECIMAL(10,2)) AS unit_cost,
                             i.modified AS updated_at
                      FROM read_csv('item.csv', header = true) i
                      LEFT JOIN read_json('category_translation.ndjson', format = 'newline_delimited') t USING (kategorie)
                  orders:
                    cursor: updated_at
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, 'P-' || person_id AS customer_id, placed AS order_ts,
                             CASE WHEN cancelled IS NOT NULL THEN 'cancelled' WHEN delivered IS NOT NULL THEN 'delivered'
                                  WHEN shipped IS NOT NULL THEN 'shipped' WHEN paid IS NOT NULL THEN 'paid' ELSE 'placed' END AS status,
                             channel, modified AS updated_at
                      FROM read_csv('purchase-*.csv', header = true, union_by_name = true,
                                    types = {'paid': 'TIMESTAMP', 'shipped': 'TIMESTAMP', 'delivered': 'TIMESTAMP', 'cancelled': 'TIMESTAMP'})
                  order_items:
                    cursor: modified
                    query: |
                      SELECT 'O-' || purchase_no AS order_id, line_no AS line_number, sku AS product_id, qty AS quantity,
                             CAST(price AS DECIMAL(10,2)) AS unit_price, CAST(discount AS DECIMAL(10,2)) AS discount, modified
                      FROM read_csv('purchase_line.csv', header = true)
                  payments:
                    cursor: modified
                    query: |
                      SELECT 'PAY-' || purchase_no || '-' || installment_no AS payment_id, 'O-' || purchase_no AS order_id,
                             method, amount, 'captured' AS status, paid AS paid_at, modified
                      FROM read_parquet('installment.parquet')
            """;

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory("shopflow-exports-");
            write("person.csv", """
                    person_id,email,given_name,family_name,created,modified
                    1,ada@example.com,Ada,Lovelace,2025-02-01 09:00:00,2025-02-01 09:00:00
                    2,alan@example.com,Alan,Turing,2025-02-02 09:00:00,2025-02-02 09:00:00
                    """);
            write("address.csv", """
                    person_id,city,region,country_code
                    1,London,,gb
                    2,Manchester,,gb
                    """);
            write("category_translation.ndjson", """
                    {"kategorie": "Spielzeug", "category": "toys"}
                    {"kategorie": "Bücher", "category": "books"}
                    """);
            write("item.csv", """
                    sku,title,kategorie,price,cost,modified
                    SKU-1,Kite,Spielzeug,10.00,4.00,2025-01-01 00:00:00
                    SKU-2,Atlas,Bücher,25.00,,2025-01-01 00:00:00
                    """);
            write("purchase-2025-03-01.csv", """
                    purchase_no,person_id,placed,paid,shipped,delivered,cancelled,channel,modified
                    100,1,2025-03-01 10:00:00,2025-03-01 10:05:00,,,,web,2025-03-01 10:05:00
                    101,1,2025-03-02 10:00:00,2025-03-02 10:05:00,2025-03-03 08:00:00,,,mobile,2025-03-03 08:00:00
                    102,2,2025-03-02 23:30:00,,,,,web,2025-03-02 23:30:00
                    103,2,2025-03-04 12:00:00,2025-03-04 12:01:00,,,,marketplace,2025-03-04 12:01:00
                    """);
            write("purchase_line.csv", """
                    purchase_no,line_no,sku,qty,price,discount,modified
                    100,1,SKU-1,2,10.00,0,2025-03-01 10:00:00
                    101,1,SKU-2,1,25.00,5.00,2025-03-02 10:00:00
                    102,1,SKU-1,1,10.00,0,2025-03-02 23:30:00
                    103,1,SKU-1,3,10.00,0,2025-03-04 12:00:00
                    103,2,SKU-2,1,25.00,0,2025-03-04 12:00:00
                    """);
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                st.execute("COPY (SELECT * FROM (VALUES (100, 1, 'paypal', 10.00::DECIMAL(10,2), TIMESTAMP '2025-03-01 10:05:00', "
                        + "TIMESTAMP '2025-03-01 10:05:00'), (100, 2, 'paypal', 10.00::DECIMAL(10,2), TIMESTAMP '2025-04-01 10:05:00', "
                        + "TIMESTAMP '2025-04-01 10:05:00'), (101, 1, 'credit_card', 20.00::DECIMAL(10,2), TIMESTAMP '2025-03-02 10:05:00', "
                        + "TIMESTAMP '2025-03-02 10:05:00')) AS t(purchase_no, installment_no, method, amount, paid, modified)) "
                        + "TO '" + folder.resolve("installment.parquet") + "' (FORMAT parquet)");
            }
            Path file = Files.createTempFile("shopflow-sources-", ".yaml");
            Files.writeString(file, SOURCES.formatted(folder));
            return Map.of("shopflow.sources.file", file.toString(), "shopflow.sources.retry-initial", "1h");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(String name, String content) throws IOException {
        Files.writeString(folder.resolve(name), content);
    }

    @Override
    public void stop() {
    }
}
