package dev.shopflow.transform.persistence;

import static dev.shopflow.common.testing.Sql.one;
import static dev.shopflow.common.testing.Sql.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incremental runs against full rebuilds. The batches are loaded into staging with ingestion's rules
 * (newest updated_at wins for orders; every version kept for customers and products; the latest batch
 * wins for lines and payments), in many random orders of arrival, with incremental runs (some of
 * them failing their audit) in between; at the end the published marts must equal a full rebuild's.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service"),
                @ResourceArg(name = "database-of", value = "IncrementalBuildTests")})
class IncrementalBuildTests {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final String[] CATEGORIES = {"books", "toys", "garden", "kitchen"};
    private static final String[] STATUSES = {"paid", "shipped", "delivered", "cancelled", "returned", "placed"};

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WarehouseBuilder warehouse;

    @Inject
    BatchClaims claims;

    /** One batch: one entity, rows as SQL value tuples in ingestion's column order. */
    record Batch(String entity, List<String> rows) {
    }

    @BeforeEach
    void empty() throws Exception {
        sql(dataSource, "TRUNCATE pipeline.batch, staging.orders, staging.order_items, staging.payments, staging.customer_versions, "
                + "staging.product_versions, warehouse.dim_customer, warehouse.dim_product, warehouse.fact_order_line, "
                + "warehouse.fact_payment, warehouse.unpublished_change, warehouse.unpublished_fact_delta, pipeline.published_version, pipeline.transform_run, "
                + "pipeline.unsettled_version, "
                + String.join(", ", WarehouseBuilder.MART_TABLES) + " CASCADE");
    }

    @Test
    void shouldGiveTheMartsOfAFullRebuildWhateverTheOrderOfArrival() throws Exception {
        Random random = new Random(20251123);
        List<Batch> batches = dataset(random);
        for (int ordering = 0; ordering < 12; ordering++) {
            empty();
            List<Batch> arrival = new ArrayList<>(batches);
            Collections.shuffle(arrival, random);
            int i = 0;
            while (i < arrival.size()) {
                int group = 1 + random.nextInt(3); // a run sees one to three new batches
                for (int k = 0; k < group && i < arrival.size(); k++, i++) {
                    load(arrival.get(i));
                }
                // one run in five fails its audit, one in ten dies between its build and the audit's outcome
                int roll = random.nextInt(10);
                run(false, roll < 2 ? Outcome.AUDIT_FAILS : roll == 2 ? Outcome.DIES : Outcome.PUBLISHED);
            }
            run(false, false);
            long incremental = published();
            Map<String, List<String>> incrementalMarts = marts(incremental);
            List<String> incrementalFacts = facts();

            run(true, false);
            long full = published();
            assertThat(full).isGreaterThan(incremental);
            assertThat(incrementalFacts).as("facts, ordering %d", ordering).isEqualTo(facts());
            Map<String, List<String>> fullMarts = marts(full);
            for (String table : WarehouseBuilder.MART_TABLES) {
                assertThat(incrementalMarts.get(table)).as("%s, ordering %d", table, ordering)
                        .isEqualTo(fullMarts.get(table));
            }
            assertThat(fullMarts.get("marts.mart_daily_sales")).as("the data set produces revenue").isNotEmpty();
            assertThat(fullMarts.get("marts.mart_cohort")).isNotEmpty();
            assertThat(fullMarts.get("marts.mart_payment_daily")).isNotEmpty();
        }
    }

    @Test
    void shouldTakeACancellationAfterPublishOutOfTheMartsAndIgnoreAStaleVersion() throws Exception {
        load(new Batch("customers", List.of(customer("c1", "Leeds", "GB", T0))));
        load(new Batch("products", List.of(product("p1", "books", 10, T0))));
        load(new Batch("orders", List.of(order("o1", "c1", "2025-03-01T10:00:00Z", "paid", 1),
                order("o2", "c1", "2025-03-01T11:00:00Z", "paid", 1))));
        load(new Batch("order_items", List.of(item("o1", 1, "p1", 2, 10, 0), item("o2", 1, "p1", 1, 10, 0))));
        run(false, false);
        long first = published();
        assertThat(one(dataSource, "SELECT revenue || '/' || orders FROM marts.mart_daily_sales WHERE " + at(first))).isEqualTo("30.00/2");

        // o2 is cancelled; then its older "paid" version arrives late and must change nothing
        load(new Batch("orders", List.of(order("o2", "c1", "2025-03-01T11:00:00Z", "cancelled", 3))));
        load(new Batch("orders", List.of(order("o2", "c1", "2025-03-01T11:00:00Z", "shipped", 2))));
        run(false, false);
        long second = published();
        assertThat(one(dataSource, "SELECT revenue || '/' || orders FROM marts.mart_daily_sales WHERE " + at(second))).isEqualTo("20.00/1");
        // the first version is still readable as it was
        assertThat(one(dataSource, "SELECT revenue || '/' || orders FROM marts.mart_daily_sales WHERE " + at(first))).isEqualTo("30.00/2");
        assertThat(one(dataSource, "SELECT orders || '/' || ltv FROM marts.mart_customer WHERE " + at(second))).isEqualTo("1/20.00");

        // a re-sent line with another quantity replaces the first one
        load(new Batch("order_items", List.of(item("o1", 1, "p1", 5, 10, 0))));
        run(false, false);
        assertThat(one(dataSource, "SELECT revenue || '/' || units FROM marts.mart_daily_sales WHERE " + at(published())))
                .isEqualTo("50.00/5");
    }

    @Test
    void shouldRepointPublishedFactsWhenALateProductVersionIsValidFromThePast() throws Exception {
        load(new Batch("products", List.of(product("p1", "books", 10, T0))));
        load(new Batch("orders", List.of(order("o1", "c1", "2025-03-01T10:00:00Z", "paid", 1))));
        load(new Batch("order_items", List.of(item("o1", 1, "p1", 1, 10, 0))));
        run(false, false);
        assertThat(one(dataSource, "SELECT string_agg(category, ',') FROM marts.mart_daily_category_sales WHERE " + at(published())))
                .isEqualTo("books");
        // a version valid from 2025-02-01 arrives late: the March order is now in toys
        load(new Batch("products", List.of(product("p1", "toys", 12, Instant.parse("2025-02-01T00:00:00Z")))));
        run(false, false);
        assertThat(one(dataSource, "SELECT string_agg(category, ',') FROM marts.mart_daily_category_sales WHERE " + at(published())))
                .isEqualTo("toys");
    }

    /**
     * A run that dies after committing its build (kill -9 during the audit) leaves its version's rows
     * current and its deltas pending; the next run must not count those deltas twice.
     */
    @Test
    void shouldNotCountTheDeltasOfARunThatDiedBeforeItsAuditTwice() throws Exception {
        load(new Batch("customers", List.of(customer("c1", "Leeds", "'West Yorkshire'", "GB", T0))));
        load(new Batch("products", List.of(product("p1", "books", 10, T0))));
        load(new Batch("orders", List.of(order("o1", "c1", "2025-03-01T10:00:00Z", "paid", 1))));
        load(new Batch("order_items", List.of(item("o1", 1, "p1", 2, 10, 0))));
        run(false, Outcome.PUBLISHED);
        load(new Batch("orders", List.of(order("o2", "c1", "2025-03-01T12:00:00Z", "paid", 1))));
        load(new Batch("order_items", List.of(item("o2", 1, "p1", 5, 10, 0))));
        run(false, Outcome.DIES);
        assertThat(one(dataSource, "SELECT count(*) FROM pipeline.unsettled_version")).isEqualTo("1");
        load(new Batch("orders", List.of(order("o3", "c1", "2025-03-02T12:00:00Z", "paid", 1))));
        load(new Batch("order_items", List.of(item("o3", 1, "p1", 1, 10, 0))));
        run(false, Outcome.PUBLISHED);
        long incremental = published();
        assertThat(one(dataSource, "SELECT count(*) FROM pipeline.unsettled_version")).isEqualTo("0");
        assertThat(one(dataSource, "SELECT sum(revenue) || '/' || sum(orders) FROM marts.mart_daily_sales WHERE " + at(incremental)))
                .isEqualTo("80.00/3");
        assertThat(one(dataSource, "SELECT sum(revenue) || '/' || sum(orders) FROM marts.mart_customer_daily WHERE " + at(incremental)))
                .isEqualTo("80.00/3");
        Map<String, List<String>> incrementalMarts = marts(incremental);
        run(true, Outcome.PUBLISHED);
        Map<String, List<String>> fullMarts = marts(published());
        for (String table : WarehouseBuilder.MART_TABLES) {
            assertThat(incrementalMarts.get(table)).as(table).isEqualTo(fullMarts.get(table));
        }
    }

    /**
     * A full build writes only what differs from the current rows: a rebuild of unchanged data adds
     * no mart row and closes none; after an order is cancelled and another changes quantity, the next
     * full build closes the vanished day and the changed figures, keeps the rest, and the version it
     * publishes holds exactly the recomputed rows while the version before still reads as it was.
     */
    @Test
    void shouldWriteOnlyTheDifferenceInAFullBuild() throws Exception {
        load(new Batch("customers", List.of(customer("c1", "Leeds", "'West Yorkshire'", "GB", T0))));
        load(new Batch("products", List.of(product("p1", "books", 10, T0))));
        load(new Batch("orders", List.of(order("o1", "c1", "2025-03-01T10:00:00Z", "paid", 1),
                order("o2", "c1", "2025-03-02T10:00:00Z", "paid", 1), order("o3", "c1", "2025-03-03T10:00:00Z", "paid", 1))));
        load(new Batch("order_items", List.of(item("o1", 1, "p1", 1, 10, 0), item("o2", 1, "p1", 2, 10, 0),
                item("o3", 1, "p1", 3, 10, 0))));
        run(true, Outcome.PUBLISHED);
        long first = published();
        Map<String, List<String>> firstMarts = marts(first);

        run(true, Outcome.PUBLISHED);
        long same = published();
        assertThat(same).isGreaterThan(first);
        assertThat(marts(same)).isEqualTo(firstMarts);
        for (String table : WarehouseBuilder.MART_TABLES) {
            assertThat(one(dataSource, "SELECT count(*) FROM " + table + " WHERE version_from = " + same + " OR version_to = " + same))
                    .as("%s: rows written by a rebuild of unchanged data", table).isEqualTo("0");
        }

        load(new Batch("orders", List.of(order("o1", "c1", "2025-03-01T10:00:00Z", "cancelled", 2))));
        load(new Batch("order_items", List.of(item("o2", 1, "p1", 4, 10, 0))));
        run(true, Outcome.PUBLISHED);
        long changed = published();
        assertThat(one(dataSource, "SELECT string_agg(order_date || '=' || revenue, ',' ORDER BY order_date) FROM marts.mart_daily_sales WHERE "
                + at(changed))).isEqualTo("2025-03-02=40.00,2025-03-03=30.00");
        assertThat(one(dataSource, "SELECT string_agg(order_date || '=' || revenue, ',' ORDER BY order_date) FROM marts.mart_daily_sales WHERE "
                + at(same))).isEqualTo("2025-03-01=10.00,2025-03-02=20.00,2025-03-03=30.00");
        // the unchanged day kept its row; the cancelled day and the changed one were closed, one row added
        assertThat(one(dataSource, "SELECT count(*) FILTER (WHERE version_to = " + changed + ") || '/' || count(*) FILTER (WHERE version_from = "
                + changed + ") FROM marts.mart_daily_sales")).isEqualTo("2/1");
        assertThat(one(dataSource, "SELECT orders || '/' || ltv FROM marts.mart_customer WHERE " + at(changed))).isEqualTo("2/70.00");
        assertThat(one(dataSource, "SELECT customers FROM marts.mart_cohort WHERE month_offset = 0 AND " + at(changed))).isEqualTo("1");

        // a full build is also the way to recover: rows spoiled by hand are recomputed, not built upon
        Map<String, List<String>> sound = marts(changed);
        sql(dataSource, "UPDATE marts.mart_cohort SET customers = customers + 5 WHERE version_to = 9223372036854775807");
        sql(dataSource, "UPDATE marts.mart_customer SET ltv = ltv + 1 WHERE version_to = 9223372036854775807");
        sql(dataSource, "UPDATE marts.mart_product SET name = 'spoiled' WHERE version_to = 9223372036854775807");
        run(true, Outcome.PUBLISHED);
        long recovered = published();
        assertThat(one(dataSource, "SELECT customers FROM marts.mart_cohort WHERE month_offset = 0 AND " + at(recovered))).isEqualTo("1");
        assertThat(one(dataSource, "SELECT ltv FROM marts.mart_customer WHERE " + at(recovered))).isEqualTo("70.00");
        assertThat(marts(recovered)).isEqualTo(sound);
    }

    /**
     * The two halves of a full build's marts commit apart: when one fails after the other committed,
     * the version is left unsettled, never published, and the next run discards its rows before
     * building, so the marts it publishes are whole.
     */
    @Test
    void shouldDiscardAFullBuildWhoseSecondHalfFailed() throws Exception {
        load(new Batch("customers", List.of(customer("c1", "Leeds", "'West Yorkshire'", "GB", T0))));
        load(new Batch("products", List.of(product("p1", "books", 10, T0))));
        load(new Batch("orders", List.of(order("o1", "c1", "2025-03-01T10:00:00Z", "paid", 1))));
        load(new Batch("order_items", List.of(item("o1", 1, "p1", 2, 10, 0))));
        run(true, Outcome.PUBLISHED);
        long published = published();
        Map<String, List<String>> before = marts(published);
        load(new Batch("order_items", List.of(item("o1", 1, "p1", 3, 10, 0))));

        long version;
        try (Connection holder = dataSource.getConnection(); Statement hold = holder.createStatement();
                Connection c = dataSource.getConnection(); Connection second = dataSource.getConnection();
                Statement secondSt = second.createStatement()) {
            holder.setAutoCommit(false);
            hold.execute("LOCK TABLE marts.mart_customer_daily IN ACCESS EXCLUSIVE MODE"); // the second half writes it
            secondSt.execute("SET lock_timeout = '300ms'");
            warehouse.createCoreViews(c);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            long runId = Long.parseLong(one(dataSource, "INSERT INTO pipeline.transform_run (kind, status, started_at) "
                    + "VALUES ('rebuild', 'running', now()) RETURNING run_id"));
            claims.claim(c, runId);
            warehouse.scope(c, runId, WarehouseBuilder.Scope.everything());
            warehouse.buildDimensions(c);
            warehouse.buildFacts(c, runId, WarehouseBuilder.Scope.everything());
            claims.markTransformed(c, runId);
            version = warehouse.nextVersion(c, runId);
            c.commit();
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            assertThatThrownBy(() -> warehouse.buildFullMartsInParallel(c, second, version, MARTS_THREAD))
                    .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("lock timeout");
            holder.rollback();
            sql(dataSource, "UPDATE pipeline.transform_run SET status = 'failed' WHERE run_id = " + runId);
        }
        assertThat(one(dataSource, "SELECT count(*) FROM marts.mart_daily_sales WHERE version_from = " + version))
                .as("the first half committed").isEqualTo("1");
        assertThat(one(dataSource, "SELECT count(*) FROM pipeline.unsettled_version WHERE version = " + version)).isEqualTo("1");
        assertThat(published()).isEqualTo(published);
        assertThat(marts(published)).isEqualTo(before);

        run(false, Outcome.PUBLISHED); // a full build again (the unpublished one asked for it), after discarding
        long next = published();
        assertThat(one(dataSource, "SELECT count(*) FROM pipeline.unsettled_version")).isEqualTo("0");
        assertThat(one(dataSource, "SELECT count(*) FROM marts.mart_daily_sales WHERE version_from = " + version)).isEqualTo("0");
        assertThat(one(dataSource, "SELECT revenue || '/' || units FROM marts.mart_daily_sales WHERE " + at(next))).isEqualTo("30.00/3");
        assertThat(one(dataSource, "SELECT revenue FROM marts.mart_customer_daily WHERE " + at(next))).isEqualTo("30.00");
    }

    /** A run whose batches bring most of the order lines ever loaded (and enough of them) builds everything. */
    @Test
    void shouldTakeARunBringingMostOrderLinesForAFullBuild() throws Exception {
        long first = Long.parseLong(one(dataSource, "INSERT INTO pipeline.transform_run (kind, status, started_at) "
                + "VALUES ('incremental', 'succeeded', now()) RETURNING run_id"));
        long second = Long.parseLong(one(dataSource, "INSERT INTO pipeline.transform_run (kind, status, started_at) "
                + "VALUES ('incremental', 'running', now()) RETURNING run_id"));
        long third = Long.parseLong(one(dataSource, "INSERT INTO pipeline.transform_run (kind, status, started_at) "
                + "VALUES ('incremental', 'running', now()) RETURNING run_id"));
        String batch = "INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, status, received, loaded, quarantined, "
                + "unknown_fields, content_type, body_bytes, received_at, loaded_at, transform_run_id) VALUES "
                + "(gen_random_uuid(), '%s', '%s', 'loaded', %d, %d, 0, 0, 'text/csv', 10, now(), now(), %d)";
        sql(dataSource, batch.formatted("order_items", "k1", 150_000, 150_000, first));
        sql(dataSource, batch.formatted("orders", "k2", 900_000, 900_000, first)); // orders do not count: lines do
        sql(dataSource, batch.formatted("order_items", "k3", 200_000, 200_000, second));
        sql(dataSource, batch.formatted("order_items", "k4", 5_000, 5_000, third));
        try (Connection c = dataSource.getConnection()) {
            assertThat(claims.claimsMostOrderLines(c, second)).as("200,000 of 355,000").isTrue();
            assertThat(claims.claimsMostOrderLines(c, first)).as("150,000 of 355,000").isFalse();
            assertThat(claims.claimsMostOrderLines(c, third)).as("5,000: too few to matter").isFalse();
        }
    }

    // --- the data set -------------------------------------------------------------------------

    static List<Batch> dataset(Random r) {
        Map<String, List<String>> byEntity = new LinkedHashMap<>();
        // ingestion's oldest and newest timestamps (1900, now + 1 day) beside ordinary ones
        Instant oldest = Instant.parse("1900-01-01T00:00:00Z");
        Instant newest = Instant.now().plusSeconds(23 * 3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Supplier<Instant> someTime = () -> switch (r.nextInt(12)) {
            case 0 -> oldest;
            case 1 -> newest;
            default -> T0.plusSeconds(r.nextInt(150 * 86_400));
        };
        List<String> customers = new ArrayList<>();
        for (int c = 0; c < 15; c++) {
            int versions = 1 + r.nextInt(3);
            for (int v = 0; v < versions; v++) {
                // a state or none: the customer marts are keyed by the address at the order, NULL state included
                String state = List.of("NULL", "'S1'", "'S2'", "'" + "\u00fc".repeat(200) + "'").get(r.nextInt(4));
                customers.add(customer("c" + c, "City" + r.nextInt(4), state, r.nextBoolean() ? "GB" : "US", someTime.get()));
            }
        }
        List<String> products = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            int versions = 1 + r.nextInt(3);
            for (int v = 0; v < versions; v++) {
                products.add(product("p" + p, CATEGORIES[r.nextInt(CATEGORIES.length)], 1 + r.nextInt(50), someTime.get()));
            }
        }
        List<String> orders = new ArrayList<>();
        List<String> items = new ArrayList<>();
        List<String> payments = new ArrayList<>();
        for (int o = 0; o < 60; o++) {
            String customer = r.nextInt(12) == 0 ? "c-never" : "c" + r.nextInt(15);
            // near midnight UTC on purpose, some at -05:00 (the next UTC day)
            int when = r.nextInt(15);
            OffsetDateTime ts = (when == 0 ? oldest : when == 1 ? newest
                    : T0.plusSeconds(r.nextInt(150) * 86_400L + 86_400 - 1800 + r.nextInt(3600)))
                    .atOffset(when > 1 && r.nextBoolean() ? ZoneOffset.ofHours(-5) : ZoneOffset.UTC);
            int versions = 1 + r.nextInt(3);
            for (int v = 1; v <= versions; v++) {
                orders.add(order("o" + o, customer, ts.toString(), STATUSES[r.nextInt(STATUSES.length)], v));
            }
            int lines = 1 + r.nextInt(3);
            for (int l = 1; l <= lines; l++) {
                String product = r.nextInt(10) == 0 ? "p-never" : "p" + r.nextInt(8);
                items.add(item("o" + o, l, product, 1 + r.nextInt(4), 1 + r.nextInt(40), r.nextInt(2)));
                if (r.nextInt(5) == 0) { // re-sent with another quantity
                    items.add(item("o" + o, l, product, 1 + r.nextInt(4), 1 + r.nextInt(40), 0));
                }
            }
            if (r.nextInt(4) > 0) {
                String paidAt = ts.plusMinutes(r.nextInt(120)).toString();
                String method = r.nextBoolean() ? "paypal" : "credit_card";
                payments.add(payment("pay" + o, "o" + o, method, 5 + r.nextInt(100), "captured", paidAt));
                if (r.nextInt(4) == 0) {
                    payments.add(payment("pay" + o, "o" + o, method, 5 + r.nextInt(100), "refunded", paidAt));
                }
            }
        }
        byEntity.put("customers", customers);
        byEntity.put("products", products);
        byEntity.put("orders", orders);
        byEntity.put("order_items", items);
        byEntity.put("payments", payments);
        // spread each entity's rows over three batches at random
        List<Batch> batches = new ArrayList<>();
        byEntity.forEach((entity, rows) -> {
            List<List<String>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            rows.forEach(row -> parts.get(r.nextInt(3)).add(row));
            parts.stream().filter(p -> !p.isEmpty()).forEach(p -> batches.add(new Batch(entity, p)));
        });
        return batches;
    }

    static String customer(String id, String city, String country, Instant updatedAt) {
        return customer(id, city, "NULL", country, updatedAt);
    }

    /** @param state an SQL literal: NULL or a quoted text */
    static String customer(String id, String city, String state, String country, Instant updatedAt) {
        return "('" + id + "', '" + id + "@example.com', 'F', 'L', '" + city + "', " + state + ", '" + country + "', '" + T0
                + "', '" + updatedAt + "'";
    }

    static String product(String id, String category, int price, Instant updatedAt) {
        return "('" + id + "', 'Name " + id + "', '" + category + "', " + price + ", NULL, '" + updatedAt + "'";
    }

    static String order(String id, String customer, String ts, String status, int version) {
        return "('" + id + "', '" + customer + "', '" + ts + "', '" + status + "', 'web', '"
                + T0.plusSeconds(200L * 86_400 + version * 3600L) + "'";
    }

    static String item(String order, int line, String product, int quantity, int price, int discount) {
        return "('" + order + "', " + line + ", '" + product + "', " + quantity + ", " + price + ", " + discount;
    }

    static String payment(String id, String order, String method, int amount, String status, String paidAt) {
        return "('" + id + "', '" + order + "', '" + method + "', " + amount + ", '" + status + "', '" + paidAt + "'";
    }

    // --- ingestion's rules, in SQL ------------------------------------------------------------

    void load(Batch batch) throws Exception {
        long seq;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, status, received, "
                        + "loaded, quarantined, unknown_fields, content_type, body_bytes, received_at, loaded_at) VALUES "
                        + "(gen_random_uuid(), '" + batch.entity() + "', gen_random_uuid()::text, 'loaded', 0, 0, 0, 0, "
                        + "'application/x-ndjson', 0, now(), now()) RETURNING batch_seq")) {
            rs.next();
            seq = rs.getLong(1);
        }
        for (String row : batch.rows()) {
            String values = row + ", " + seq + ")";
            switch (batch.entity()) {
                case "customers" -> sql(dataSource, "INSERT INTO staging.customer_versions (customer_id, email, first_name, last_name, city, "
                        + "state, country, signup_at, updated_at, batch_seq) VALUES " + values + " ON CONFLICT DO NOTHING");
                case "products" -> sql(dataSource, "INSERT INTO staging.product_versions (product_id, name, category, unit_price, unit_cost, "
                        + "updated_at, batch_seq) VALUES " + values + " ON CONFLICT DO NOTHING");
                case "orders" -> sql(dataSource, "INSERT INTO staging.orders AS t (order_id, customer_id, order_ts, status, channel, "
                        + "updated_at, batch_seq) VALUES " + values + " ON CONFLICT (order_id) DO UPDATE SET "
                        + "customer_id = excluded.customer_id, order_ts = excluded.order_ts, status = excluded.status, "
                        + "updated_at = excluded.updated_at, batch_seq = excluded.batch_seq WHERE excluded.updated_at > t.updated_at");
                case "order_items" -> sql(dataSource, "INSERT INTO staging.order_items AS t (order_id, line_number, product_id, quantity, "
                        + "unit_price, discount, batch_seq) VALUES " + values + " ON CONFLICT (order_id, line_number) DO UPDATE SET "
                        + "product_id = excluded.product_id, quantity = excluded.quantity, unit_price = excluded.unit_price, "
                        + "discount = excluded.discount, batch_seq = excluded.batch_seq");
                case "payments" -> sql(dataSource, "INSERT INTO staging.payments AS t (payment_id, order_id, method, amount, status, paid_at, "
                        + "batch_seq) VALUES " + values + " ON CONFLICT (payment_id) DO UPDATE SET order_id = excluded.order_id, "
                        + "method = excluded.method, amount = excluded.amount, status = excluded.status, "
                        + "paid_at = excluded.paid_at, batch_seq = excluded.batch_seq");
                default -> throw new IllegalArgumentException(batch.entity());
            }
        }
    }

    enum Outcome { PUBLISHED, AUDIT_FAILS, DIES }

    void run(boolean full, boolean auditFails) throws Exception {
        run(full, auditFails ? Outcome.AUDIT_FAILS : Outcome.PUBLISHED);
    }

    /**
     * A run as TransformRunner does it, with the audit's verdict given; {@code DIES} commits the build
     * and then stops, as a run does when its process or the database is killed during the audit.
     */
    private static final java.util.concurrent.ExecutorService MARTS_THREAD = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-marts");
        t.setDaemon(true);
        return t;
    });

    void run(boolean full, Outcome outcome) throws Exception {
        try (Connection lock = dataSource.getConnection(); Statement st = lock.createStatement();
                Connection c = dataSource.getConnection()) {
            // the run lock of TransformRunner, so the service's own sweep never runs beside the test's runs
            st.execute("SELECT pg_advisory_lock(" + 0x5346_5452_414EL + ")");
            long runId = Long.parseLong(one(dataSource, "INSERT INTO pipeline.transform_run (kind, status, started_at) "
                    + "VALUES ('incremental', 'running', now()) RETURNING run_id"));
            warehouse.createCoreViews(c);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            claims.claim(c, runId);
            warehouse.discardUnsettled(c);
            boolean everything = full || warehouse.needsFullBuild(c);
            WarehouseBuilder.Scope scope = everything ? WarehouseBuilder.Scope.everything() : WarehouseBuilder.Scope.incremental();
            warehouse.scope(c, runId, scope);
            warehouse.buildDimensions(c);
            warehouse.buildFacts(c, runId, scope);
            claims.markTransformed(c, runId);
            long version = warehouse.nextVersion(c, runId);
            if (everything) {
                // as TransformRunner does: the build commits, then the marts' two halves run at once
                c.commit();
                try (Connection second = dataSource.getConnection()) {
                    warehouse.buildFullMartsInParallel(c, second, version, MARTS_THREAD);
                }
                c.setAutoCommit(false);
            } else {
                warehouse.buildIncrementalMarts(c, version);
                c.commit();
            }
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            if (outcome == Outcome.DIES) {
                c.setAutoCommit(true);
                sql(dataSource, "UPDATE pipeline.transform_run SET status = 'failed' WHERE run_id = " + runId);
                st.execute("SELECT pg_advisory_unlock(" + 0x5346_5452_414EL + ")");
                return;
            }
            if (outcome == Outcome.AUDIT_FAILS) {
                warehouse.discard(c, version, runId);
            } else {
                // the published_version row as TransformRuns writes it (there through Hibernate, in this transaction)
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO pipeline.published_version (version, run_id, published_at, watermark) VALUES (?, ?, now(), ?)")) {
                    ps.setLong(1, version);
                    ps.setLong(2, runId);
                    ps.setObject(3, claims.watermark(c, runId).map(w -> w.atOffset(java.time.ZoneOffset.UTC)).orElse(null));
                    ps.executeUpdate();
                }
                warehouse.publish(c, version, runId, 1000);
            }
            c.commit();
            c.setAutoCommit(true);
            st.execute("SELECT pg_advisory_unlock(" + 0x5346_5452_414EL + ")");
        }
    }

    long published() throws Exception {
        return Long.parseLong(one(dataSource, "SELECT max(version) FROM pipeline.published_version"));
    }

    static String at(long version) {
        return "version_from <= " + version + " AND version_to > " + version;
    }

    Map<String, List<String>> marts(long version) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String table : WarehouseBuilder.MART_TABLES) {
            out.put(table, rows("SELECT * FROM " + table + " WHERE " + at(version), "version_from", "version_to"));
        }
        return out;
    }

    /** Facts without surrogate keys (numbered differently by incremental and full builds). */
    List<String> facts() throws Exception {
        List<String> rows = rows("SELECT * FROM warehouse.fact_order_line", "customer_sk", "product_sk");
        rows.addAll(rows("SELECT * FROM warehouse.fact_payment"));
        return rows;
    }

    List<String> rows(String query, String... ignored) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    if (!List.of(ignored).contains(md.getColumnName(i))) {
                        row.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                    }
                }
                rows.add(row.toString());
            }
        }
        Collections.sort(rows);
        return rows;
    }

}
