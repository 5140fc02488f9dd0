package dev.shopflow.common.testing;

/**
 * The tables of a shop whose schema is not ShopFlow's, as the sources tests (ingestion's and the end to
 * end ones) create them in a PostgreSQL and in a MariaDB: people with their addresses in another table,
 * items with categories in German and a translation table, purchases with lifecycle timestamps in local
 * time (no zone), lines, payments in installments. Each test adds its roles and its data.
 */
public final class ShopSchema {

    public static final String POSTGRES = """
            CREATE SCHEMA shop;
            CREATE TABLE shop.person (person_id int PRIMARY KEY, email text, given_name text, family_name text,
                created timestamp NOT NULL, modified timestamp NOT NULL);
            CREATE TABLE shop.address (person_id int PRIMARY KEY REFERENCES shop.person, city text, region text, country_code char(2));
            CREATE TABLE shop.category_translation (kategorie text PRIMARY KEY, category text);
            CREATE TABLE shop.item (sku text PRIMARY KEY, title text, kategorie text, price numeric(10,2), cost numeric(10,2),
                modified timestamp NOT NULL);
            CREATE TABLE shop.purchase (purchase_no int PRIMARY KEY, person_id int, placed timestamp, paid timestamp,
                shipped timestamp, delivered timestamp, cancelled timestamp, channel text, modified timestamp NOT NULL);
            CREATE TABLE shop.purchase_line (purchase_no int, line_no int, sku text, qty int, price numeric(10,2),
                discount numeric(10,2), modified timestamp NOT NULL, PRIMARY KEY (purchase_no, line_no));
            CREATE TABLE shop.installment (purchase_no int, installment_no int, method text, amount numeric(10,2),
                paid timestamp, modified timestamp NOT NULL, PRIMARY KEY (purchase_no, installment_no));
            """;

    /** The same tables in MariaDB (DATETIME for timestamps), statements separated by ';' for one-by-one execution. */
    public static final String MARIADB = """
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

    /**
     * The MariaDB forms of the mappings from these tables to ShopFlow's five entities (CONCAT instead of
     * ||), as the lines under a source's {@code entities:} at a sources file's usual indentation.
     */
    public static final String MARIADB_MAPPINGS = """
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
            """.indent(6);

    private ShopSchema() {
    }
}
