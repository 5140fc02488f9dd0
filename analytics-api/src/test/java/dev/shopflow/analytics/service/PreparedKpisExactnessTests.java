package dev.shopflow.analytics.service;

import static dev.shopflow.common.testing.Sql.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.analytics.persistence.PublishedVersion;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The property behind answering from memory: for random published versions (random days, keys whose
 * order differs between collations, ties of revenue, customers that move, rows of other versions) and
 * random questions, every answer of {@link PreparedKpis} is byte for byte the answer {@link SqlKpis}
 * computes in PostgreSQL, errors included. A failure names its seed and question.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service,transform-service"))
class PreparedKpisExactnessTests {

    static final int VERSIONS = Integer.getInteger("shopflow.property.versions", 6);
    static final int QUESTIONS = Integer.getInteger("shopflow.property.questions", 150);
    static final LocalDate DAY0 = LocalDate.of(2024, 12, 20);
    // keys whose byte order and the database's collation order can differ, and case variants
    static final String[] CATEGORIES = {"toys", "Toys", "books", "b-ooks", "été", "unknown", "garden kit", "Électro"};
    static final String[] CHANNELS = {"web", "mobile", "marketplace", "Web"};
    static final String[] METHODS = {"paypal", "credit_card", "credit-card", "klarna"};
    static final String[] COUNTRIES = {"US", "GB", "de", "unknown"};
    static final String[] STATES = {"", "NY", "ca", "CA", "Ny"};
    static final String[] AMOUNTS = {"0.00", "10.00", "10.00", "19.99", "25.50", "100.00", "0.01", "12345678.90"};

    @Inject
    AgroalDataSource dataSource;
    @Inject
    SqlKpis sql;
    @Inject
    KpiRepository repository;
    @Inject
    ObjectMapper json;
    @Inject
    @CacheName(KpiService.CACHE)
    Cache cache;

    @Test
    void shouldAnswerEveryQuestionExactlyAsSqlDoes() throws Exception {
        long seed0 = Long.getLong("shopflow.property.seed", 20261202L);
        for (int i = 0; i < VERSIONS; i++) {
            long seed = seed0 + i;
            Random random = new Random(seed);
            Fixture fixture = publish(random);
            cache.invalidateAll().await().indefinitely(); // SqlKpis keeps RFM cut points per version number
            PreparedKpis prepared = PreparedKpis.load(repository, 1, Long.MAX_VALUE);
            PublishedVersion v = new PublishedVersion(1, Instant.parse("2025-06-01T00:00:00Z"));
            for (int q = 0; q < QUESTIONS; q++) {
                ask(random, fixture, prepared, v, "seed " + seed + " question " + q);
            }
        }
    }

    @Test
    void shouldRefuseAVersionOverTheRowBoundOrNotExactInHundredths() throws Exception {
        publish(new Random(7));
        assertThatThrownBy(() -> PreparedKpis.load(repository, 1, 10)).isInstanceOf(PreparedKpis.NotPreparable.class)
                .hasMessageContaining("more than 10 mart rows");
        sql(dataSource, "INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from) VALUES ('2030-01-01', 0.005, 1, 1, 1)");
        assertThatThrownBy(() -> PreparedKpis.load(repository, 1, Long.MAX_VALUE)).isInstanceOf(PreparedKpis.NotPreparable.class)
                .hasMessageContaining("0.005");
        sql(dataSource, "DELETE FROM marts.mart_daily_sales WHERE order_date = '2030-01-01'",
                "INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from) VALUES "
                        + "('2030-01-01', 90000000000000000, 1, 1, 1), ('2030-01-02', 90000000000000000, 1, 1, 1)");
        assertThatThrownBy(() -> PreparedKpis.load(repository, 1, Long.MAX_VALUE)).isInstanceOf(PreparedKpis.NotPreparable.class)
                .hasMessageContaining("beyond a long");
    }

    @Test
    void shouldMatchPostgresPercentileDisc() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (int n = 1; n <= 40; n++) {
                var rs = st.executeQuery("SELECT percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY x) "
                        + "FROM generate_series(1, " + n + ") x");
                rs.next();
                Integer[] cuts = (Integer[]) rs.getArray(1).getArray();
                double[] fractions = {0.2, 0.4, 0.6, 0.8};
                for (int q = 0; q < 4; q++) {
                    assertThat(PreparedKpis.percentileDiscIndex(fractions[q], n) + 1).as("n=%d p=%s", n, fractions[q]).isEqualTo(cuts[q]);
                }
            }
        }
    }

    private void ask(Random random, Fixture f, PreparedKpis p, PublishedVersion v, String what) throws Exception {
        LocalDate from = DAY0.plusDays(random.nextInt(140) - 20);
        LocalDate to = from.plusDays(random.nextInt(random.nextBoolean() ? 10 : 120));
        int kind = random.nextInt(12);
        switch (kind) {
            case 0 -> same(what + " summary " + from + ".." + to, () -> sql.summary(v, from, to), () -> p.summary(v, from, to));
            case 1 -> {
                String g = new String[] {"day", "week", "month"}[random.nextInt(3)];
                String c = random.nextInt(3) == 0 ? null : CATEGORIES[random.nextInt(CATEGORIES.length)];
                same(what + " revenue " + g + " " + c + " " + from + ".." + to, () -> sql.revenue(v, from, to, g, c),
                        () -> p.revenue(v, from, to, g, c));
            }
            case 2 -> same(what + " categories", () -> sql.revenueByCategory(v, from, to), () -> p.revenueByCategory(v, from, to));
            case 3 -> same(what + " channels", () -> sql.revenueByChannel(v, from, to), () -> p.revenueByChannel(v, from, to));
            case 4 -> {
                String by = random.nextBoolean() ? "units" : "revenue";
                int limit = 1 + random.nextInt(12);
                int offset = random.nextInt(4) == 0 ? random.nextInt(60) : 0;
                same(what + " top " + by + " " + limit + "+" + offset + " " + from + ".." + to,
                        () -> sql.topProducts(v, from, to, by, limit, offset), () -> p.topProducts(v, from, to, by, limit, offset));
            }
            case 5 -> {
                String id = random.nextInt(5) == 0 ? "c-nobody" : f.customers.get(random.nextInt(f.customers.size()));
                same(what + " customer " + id, () -> sql.customer(v, id), () -> p.customer(v, id));
            }
            case 6 -> {
                String order = random.nextBoolean() ? "asc" : "desc";
                int limit = 1 + random.nextInt(20);
                int offset = random.nextInt(3) == 0 ? random.nextInt(100) : 0;
                same(what + " ltv " + order + " " + limit + "+" + offset, () -> sql.customerLtv(v, order, limit, offset),
                        () -> p.customerLtv(v, order, limit, offset));
            }
            case 7 -> {
                LocalDate asOf = random.nextInt(4) == 0 ? null : from;
                same(what + " rfm " + asOf, () -> sql.rfmSegments(v, asOf), () -> p.rfmSegments(v, asOf));
            }
            case 8 -> {
                LocalDate a = from.withDayOfMonth(1);
                LocalDate b = to.withDayOfMonth(1);
                same(what + " cohorts " + a + ".." + b, () -> sql.cohorts(v, a, b), () -> p.cohorts(v, a, b));
            }
            case 9 -> same(what + " payments", () -> sql.paymentMethods(v, from, to), () -> p.paymentMethods(v, from, to));
            case 10 -> {
                String level = random.nextBoolean() ? "country" : "state";
                same(what + " geography " + level + " " + from + ".." + to, () -> sql.geography(v, from, to, level),
                        () -> p.geography(v, from, to, level));
            }
            default -> same(what + " weekday", () -> sql.weekday(v, from, to), () -> p.weekday(v, from, to));
        }
    }

    private void same(String what, Callable<?> bySql, Callable<?> fromMemory) throws Exception {
        String expected;
        try {
            expected = json.writeValueAsString(bySql.call());
        } catch (ProblemException e) {
            assertThatThrownBy(fromMemory::call).as(what).isInstanceOf(ProblemException.class).hasMessage(e.getMessage());
            return;
        }
        assertThat(json.writeValueAsString(fromMemory.call())).as(what).isEqualTo(expected);
    }

    record Fixture(List<String> customers) {
    }

    /** A random version 1 of every mart (and rows of versions 2 and 0 that it must not see). */
    private Fixture publish(Random random) throws Exception {
        sql(dataSource, "TRUNCATE pipeline.published_version, pipeline.transform_run, marts.mart_daily_sales, marts.mart_daily_category_sales, "
                        + "marts.mart_product_daily, marts.mart_product, marts.mart_customer_daily, marts.mart_customer, "
                        + "marts.mart_cohort, marts.mart_payment_daily, marts.mart_daily_channel_sales CASCADE",
                "INSERT INTO pipeline.transform_run (run_id, kind, status, started_at) VALUES (1, 'incremental', 'succeeded', now())",
                "INSERT INTO pipeline.published_version VALUES (1, 1, now(), '2025-06-01T00:00:00Z')");
        int days = 20 + random.nextInt(90);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // version ranges: [1, max) visible; [2, max) and [0, 1) are not
            String visible = "1, 9223372036854775807";
            try (PreparedStatement daily = c.prepareStatement("INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, "
                    + "version_from, version_to) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int d = 0; d < days; d++) {
                    if (random.nextInt(5) > 0) {
                        int[] range = versionRange(random);
                        daily.setObject(1, DAY0.plusDays(d));
                        daily.setBigDecimal(2, amount(random));
                        daily.setInt(3, 1 + random.nextInt(9));
                        daily.setLong(4, random.nextInt(30));
                        daily.setLong(5, range[0]);
                        daily.setLong(6, range[1]);
                        daily.addBatch();
                    }
                }
                daily.executeBatch();
            }
            keyed(c, random, days, "marts.mart_daily_category_sales", "category", CATEGORIES, true);
            keyed(c, random, days, "marts.mart_daily_channel_sales", "channel", CHANNELS, true);
            keyed(c, random, days, "marts.mart_payment_daily", "method", METHODS, false);
            // products: ids in several shapes; some without a current name row
            List<String> products = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                products.add(new String[] {"p-", "p", "P-", "p_"}[random.nextInt(4)] + random.nextInt(40));
            }
            Set<String> uniqueProducts = new HashSet<>(products);
            try (PreparedStatement product = c.prepareStatement(
                    "INSERT INTO marts.mart_product (product_id, name, category, version_from) VALUES (?, ?, ?, 1)")) {
                for (String id : uniqueProducts) {
                    if (random.nextInt(6) > 0) {
                        product.setString(1, id);
                        product.setString(2, "Name of " + id);
                        product.setString(3, CATEGORIES[random.nextInt(CATEGORIES.length)]);
                        product.addBatch();
                    }
                }
                product.executeBatch();
            }
            try (PreparedStatement row = c.prepareStatement("INSERT INTO marts.mart_product_daily (order_date, product_id, revenue, "
                    + "units, orders, version_from, version_to) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (String id : uniqueProducts) {
                    for (int d = 0; d < days; d++) {
                        if (random.nextInt(4) == 0) {
                            int[] range = versionRange(random);
                            row.setObject(1, DAY0.plusDays(d));
                            row.setString(2, id);
                            row.setBigDecimal(3, amount(random));
                            row.setLong(4, random.nextInt(4));
                            row.setInt(5, 1 + random.nextInt(3));
                            row.setLong(6, range[0]);
                            row.setLong(7, range[1]);
                            row.addBatch();
                        }
                    }
                }
                row.executeBatch();
            }
            // customers: lifetime rows and day rows (some customers move between addresses)
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                customers.add(new String[] {"c-", "c", "C-"}[random.nextInt(3)] + String.format("%03d", random.nextInt(80)));
            }
            List<String> unique = new ArrayList<>(new HashSet<>(customers));
            try (PreparedStatement day = c.prepareStatement("INSERT INTO marts.mart_customer_daily (order_date, customer_id, country, "
                    + "state, orders, revenue, version_from, version_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (String id : unique) {
                    int firstDay = random.nextInt(days);
                    int lastDay = firstDay + random.nextInt(days - firstDay);
                    String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
                    String state = STATES[random.nextInt(STATES.length)];
                    for (int d = firstDay; d <= lastDay; d++) {
                        if (d == firstDay || d == lastDay || random.nextInt(6) == 0) {
                            if (random.nextInt(8) == 0) {
                                country = COUNTRIES[random.nextInt(COUNTRIES.length)];
                                state = STATES[random.nextInt(STATES.length)];
                            }
                            int[] range = versionRange(random);
                            day.setObject(1, DAY0.plusDays(d));
                            day.setString(2, id);
                            day.setString(3, country);
                            day.setString(4, state);
                            day.setInt(5, 1 + (random.nextInt(5) == 0 ? random.nextInt(3) : 0));
                            day.setBigDecimal(6, amount(random));
                            day.setLong(7, range[0]);
                            day.setLong(8, range[1]);
                            day.addBatch();
                        }
                    }
                }
                day.executeBatch();
            }
            // lifetime figures as transform derives them from the same qualifying orders
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO marts.mart_customer (customer_id, first_order_date, last_order_date, orders, ltv, ltv_30d, "
                        + "active_months, version_from) "
                        + "SELECT customer_id, min(order_date), max(order_date), sum(orders), sum(revenue), 0, '{}', 1 "
                        + "FROM marts.mart_customer_daily WHERE version_from <= 1 AND version_to > 1 GROUP BY customer_id");
                st.execute("UPDATE marts.mart_customer m SET ltv_30d = (SELECT sum(d.revenue) FROM marts.mart_customer_daily d "
                        + "WHERE d.customer_id = m.customer_id AND d.version_from <= 1 AND d.version_to > 1 "
                        + "AND d.order_date <= m.first_order_date + 30)");
            }
            try (PreparedStatement cohort = c.prepareStatement(
                    "INSERT INTO marts.mart_cohort (cohort_month, month_offset, customers, version_from) VALUES (?, ?, ?, 1)")) {
                for (int m = 0; m < 5; m++) {
                    for (int k = 0; k < 5 - m; k++) {
                        if (random.nextInt(4) > 0) {
                            cohort.setObject(1, DAY0.withDayOfMonth(1).plusMonths(m));
                            cohort.setInt(2, k);
                            cohort.setInt(3, random.nextInt(6));
                            cohort.addBatch();
                        }
                    }
                }
                cohort.executeBatch();
            }
            c.commit();
            return new Fixture(customers);
        }
    }

    /** Mostly [1, max): visible to version 1; sometimes a range version 1 must not see. */
    private static int[] versionRange(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> new int[] {2, Integer.MAX_VALUE};
            case 1 -> new int[] {0, 1};
            default -> new int[] {1, Integer.MAX_VALUE};
        };
    }

    private static BigDecimal amount(Random random) {
        return new BigDecimal(AMOUNTS[random.nextInt(AMOUNTS.length)]);
    }

    private void keyed(Connection c, Random random, int days, String table, String keyColumn, String[] keys, boolean units)
            throws Exception {
        String measures = table.endsWith("payment_daily") ? "paid_date, method, amount, payments" : "order_date, " + keyColumn
                + ", revenue, orders" + (units ? ", units" : "");
        String marks = units ? "?, ?, ?, ?, ?" : "?, ?, ?, ?";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + measures + ", version_from, version_to) VALUES ("
                + marks + ", ?, ?) ON CONFLICT DO NOTHING")) {
            Map<String, Boolean> used = new HashMap<>();
            for (int d = 0; d < days; d++) {
                for (String key : keys) {
                    if (random.nextInt(3) == 0 && used.putIfAbsent(d + key, true) == null) {
                        int[] range = versionRange(random);
                        int i = 1;
                        ps.setObject(i++, DAY0.plusDays(d));
                        ps.setString(i++, key);
                        ps.setBigDecimal(i++, amount(random));
                        ps.setInt(i++, 1 + random.nextInt(4));
                        if (units) {
                            ps.setLong(i++, random.nextInt(10));
                        }
                        ps.setLong(i++, range[0]);
                        ps.setLong(i, range[1]);
                        ps.addBatch();
                    }
                }
            }
            ps.executeBatch();
        }
    }

}
