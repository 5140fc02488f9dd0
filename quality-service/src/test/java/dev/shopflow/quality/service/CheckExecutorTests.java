package dev.shopflow.quality.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.wire.Audit;
import dev.shopflow.quality.domain.CheckDefinition;
import dev.shopflow.quality.domain.ChecksFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every check kind, passing and failing, compiled and run on real tables in a real PostgreSQL.
 * The expected counts are worked out from the rows inserted below.
 */
class CheckExecutorTests {

    static EmbeddedPostgres postgres;
    static Connection connection;
    static final CheckExecutor EXECUTOR = new CheckExecutor(new ObjectMapper());

    @BeforeAll
    static void tables() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        connection = postgres.getPostgresDatabase().getConnection();
        try (Statement st = connection.createStatement()) {
            st.execute("""
                    CREATE SCHEMA shop;
                    CREATE TABLE shop.customers (customer_id text PRIMARY KEY, email text);
                    INSERT INTO shop.customers VALUES ('c1', 'a@example.com'), ('c2', 'b@example.com'), ('c3', 'not-an-email');
                    CREATE TABLE shop.orders (order_id text, customer_id text, status text, amount numeric(10,2),
                                              created_at timestamptz);
                    -- o4 and o5 reference a customer that never arrived: o4 long ago, o5 an hour ago (within grace)
                    INSERT INTO shop.orders VALUES
                      ('o1', 'c1', 'paid', 10.00, now() - interval '3 days'),
                      ('o2', 'c2', 'shipped', 20.00, now() - interval '3 days'),
                      ('o3', 'c2', 'lost', 30.00, now() - interval '2 days'),
                      ('o3', 'c3', 'paid', -5.00, now() - interval '2 days'),
                      ('o4', 'c9', 'paid', 1000.00, now() - interval '5 days'),
                      ('o5', 'c8', NULL, 15.00, now() - interval '1 hour');
                    CREATE TABLE shop.daily (day_ts timestamptz);
                    -- 14 quiet days of 10 rows (+/- 1), then a day of 40
                    INSERT INTO shop.daily SELECT timestamptz '2025-01-01 12:00Z' + (d || ' days')::interval
                      FROM generate_series(0, 13) d, generate_series(1, 10 + (d % 3) - 1) n;
                    INSERT INTO shop.daily SELECT timestamptz '2025-01-15 12:00Z' FROM generate_series(1, 40);
                    CREATE TABLE shop.mart (version_from bigint, version_to bigint, day date, revenue numeric(10,2));
                    -- version 1 wrote the day twice; version 2 replaced both rows with one
                    INSERT INTO shop.mart VALUES (1, 2, '2025-01-01', 30.00), (1, 2, '2025-01-01', 30.00),
                      (2, 9223372036854775807, '2025-01-01', 60.00);
                    """);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
        postgres.close();
    }

    static Audit.CheckResult run(String yaml, Long version) {
        List<CheckDefinition> checks = ChecksFile.read(new ByteArrayInputStream(
                ("checks:\n  - name: c\n    layer: staging\n    severity: error\n" + yaml)
                        .getBytes(StandardCharsets.UTF_8)), "test.yaml");
        return EXECUTOR.execute(connection, checks.get(0), version);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not_null passing          | kind: not_null\\n    table: shop.orders\\n    columns: [order_id, amount]                                   | 0
            not_null failing          | kind: not_null\\n    table: shop.orders\\n    columns: [order_id, status]                                   | 1
            unique passing            | kind: unique\\n    table: shop.customers\\n    columns: [customer_id]                                     | 0
            unique failing            | kind: unique\\n    table: shop.orders\\n    columns: [order_id]                                         | 1
            accepted_values passing   | kind: accepted_values\\n    table: shop.orders\\n    column: customer_id\\n    values: [c1, c2, c3, c8, c9] | 0
            accepted_values failing   | kind: accepted_values\\n    table: shop.orders\\n    column: status\\n    values: [paid, shipped]     | 1
            relationships failing     | kind: relationships\\n    table: shop.orders\\n    column: customer_id\\n    to: shop.customers      | 2
            relationships with grace  | kind: relationships\\n    table: shop.orders\\n    column: customer_id\\n    to: shop.customers\\n    to_column: customer_id\\n    grace: 2d\\n    timestamp_column: created_at | 1
            range passing             | kind: range\\n    table: shop.orders\\n    column: amount\\n    min: -10\\n    max: 1000                 | 0
            range failing             | kind: range\\n    table: shop.orders\\n    column: amount\\n    min: 0\\n    max: 999.99                | 2
            pattern passing           | kind: pattern\\n    table: shop.orders\\n    column: order_id\\n    regex: '^o[0-9]+$'                  | 0
            pattern failing           | kind: pattern\\n    table: shop.customers\\n    column: email\\n    regex: '^[^@ ]+@[^@ ]+\\.[a-z]+$'   | 1
            row_count passing         | kind: row_count\\n    table: shop.orders\\n    min_rows: 1\\n    max_rows: 6                            | 0
            row_count failing         | kind: row_count\\n    table: shop.customers\\n    min_rows: 5                                           | 1
            freshness passing         | kind: freshness\\n    table: shop.orders\\n    timestamp_column: created_at\\n    max_age: 2h             | 0
            freshness failing         | kind: freshness\\n    table: shop.orders\\n    timestamp_column: created_at\\n    max_age: 30m            | 1
            volume_anomaly failing    | kind: volume_anomaly\\n    table: shop.daily\\n    timestamp_column: day_ts\\n    days: 14              | 1
            volume_anomaly loose      | kind: volume_anomaly\\n    table: shop.daily\\n    timestamp_column: day_ts\\n    threshold: 100        | 0
            reconciliation passing    | kind: reconciliation\\n    left_sql: SELECT sum(amount) FROM shop.orders WHERE amount > 0\\n    right_sql: SELECT 1075.00\\n    tolerance: 0.001 | 0
            reconciliation failing    | kind: reconciliation\\n    left_sql: SELECT sum(amount) FROM shop.orders\\n    right_sql: SELECT count(*) FROM shop.orders | 1
            custom_sql passing        | kind: custom_sql\\n    sql: SELECT * FROM shop.orders WHERE amount > 5000                            | 0
            custom_sql failing        | kind: custom_sql\\n    sql: SELECT order_id FROM shop.orders WHERE status IS DISTINCT FROM 'paid'     | 3
            """)
    void shouldCountTheFailingRowsOfEveryKind(String title, String yaml, long expected) {
        Audit.CheckResult result = run("    " + yaml.replace("\\n", "\n") + "\n", null);
        assertThat(result.status()).as(title + " " + result.sample()).isEqualTo(expected == 0 ? "passed" : "failed");
        assertThat(result.failingRows()).as(title).isEqualTo(expected);
        assertThat(result.sample()).hasSize((int) Math.min(expected, 20));
    }

    @Test
    void shouldLookOnlyAtTheVersionInScope() {
        String unique = "    kind: unique\n    table: shop.mart\n    columns: [day]\n    versioned: true\n";
        assertThat(run(unique, 1L).failingRows()).isEqualTo(1);
        assertThat(run(unique, 2L).failingRows()).isZero();
        String reconcile = "    kind: reconciliation\n    left_sql: SELECT sum(revenue) FROM shop.mart WHERE version_from <= :version AND version_to > :version\n"
                + "    right_sql: SELECT 60.00\n";
        assertThat(run(reconcile, 1L).status()).isEqualTo("passed");
        assertThat(run(reconcile, 2L).status()).isEqualTo("passed");
    }

    @Test
    void shouldDescribeAnAggregateFailureInItsSample() {
        Audit.CheckResult volume = run("    kind: volume_anomaly\n    table: shop.daily\n    timestamp_column: day_ts\n", null);
        assertThat(volume.sample().get(0)).containsEntry("count", 40).containsKeys("mean", "stddev", "day");
        Audit.CheckResult reconcile = run("    kind: reconciliation\n    left_sql: SELECT 10\n    right_sql: SELECT 12\n", null);
        assertThat(reconcile.sample().get(0)).containsEntry("difference", 2);
    }

    @Test
    void shouldReportACheckThatCannotRunAsAnErrorNotAnException() {
        Audit.CheckResult missing = run("    kind: not_null\n    table: shop.nowhere\n    columns: [x]\n", null);
        assertThat(missing.status()).isEqualTo("error");
        assertThat(missing.sample().get(0).get("error").toString()).contains("shop.nowhere");
        Audit.CheckResult noVersion = run("    kind: unique\n    table: shop.mart\n    columns: [day]\n    versioned: true\n", null);
        assertThat(noVersion.status()).isEqualTo("error");
        // the connection is still usable for the next check
        assertThat(run("    kind: row_count\n    table: shop.orders\n    min_rows: 1\n", null).status()).isEqualTo("passed");
    }
}
