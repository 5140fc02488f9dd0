package dev.shopflow.analytics.service;

import static dev.shopflow.common.testing.Sql.sql;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopflow.analytics.persistence.KpiRepository;
import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Analytics under sustained publishing with little heap to spare, as the soak ran it: versions are
 * published every second or so while requests run, alternately ones that fit the heap left to prepare
 * them and ones that do not (answered by SQL, counted, logged). The heap this class gives preparing
 * is a few MiB (the headroom is the JVM's heap less 12 MiB), so admission, not luck, keeps every
 * answer a 200. Also: a version's prepared size follows the rows it holds, not the days it spans.
 */
@QuarkusTest
@TestProfile(PreparedMemoryTests.SmallBudget.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service,transform-service"))
class PreparedMemoryTests {

    /** Preparing gets about 12 MiB of this JVM's heap, whatever its size. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            long heapMib = Runtime.getRuntime().maxMemory() >> 20;
            return Map.of("shopflow.analytics.prepare.headroom-mib", Long.toString(heapMib - 12));
        }
    }

    static final String MARTS = "marts.mart_daily_sales, marts.mart_daily_category_sales, marts.mart_product_daily, "
            + "marts.mart_product, marts.mart_customer_daily, marts.mart_customer, marts.mart_cohort, "
            + "marts.mart_payment_daily, marts.mart_daily_channel_sales";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    KpiRepository repository;
    @Inject
    MeterRegistry registry;
    @Inject
    AnswerCache answers;

    /**
     * Version {@code v}: 30 days of March 2025 at {@code v} a day plus one day in 1900 with 200
     * categories (what blew a dense version up to 134 MiB), and when {@code big}, 150,000 customers with
     * a day each (more than the budget holds).
     */
    void publish(long v, boolean big) throws Exception {
        List<String> statements = new ArrayList<>(List.of(
                "INSERT INTO pipeline.transform_run (run_id, kind, status, started_at) VALUES (" + v + ", 'incremental', 'succeeded', now())",
                "UPDATE marts.mart_daily_sales SET version_to = " + v + " WHERE version_to > " + v,
                "UPDATE marts.mart_daily_category_sales SET version_to = " + v + " WHERE version_to > " + v,
                "UPDATE marts.mart_customer_daily SET version_to = " + v + " WHERE version_to > " + v,
                "UPDATE marts.mart_customer SET version_to = " + v + " WHERE version_to > " + v,
                "UPDATE marts.mart_product_daily SET version_to = " + v + " WHERE version_to > " + v,
                "UPDATE marts.mart_product SET version_to = " + v + " WHERE version_to > " + v,
                "INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from) "
                        + "SELECT d::date, " + v + ", 1, 1, " + v + " FROM generate_series('2025-03-01'::date, '2025-03-30', '1 day') d "
                        + "UNION ALL SELECT '1900-01-01', 1.00, 1, 1, " + v,
                "INSERT INTO marts.mart_daily_category_sales (order_date, category, revenue, orders, units, version_from) "
                        + "SELECT '1900-01-01', 'cat-' || lpad(k::text, 3, '0'), 0.01, 1, 1, " + v + " FROM generate_series(1, 200) k "
                        + "UNION ALL SELECT d::date, 'toys', " + v + ", 1, 1, " + v
                        + " FROM generate_series('2025-03-01'::date, '2025-03-30', '1 day') d",
                "INSERT INTO marts.mart_product (product_id, name, category, version_from) VALUES ('p1', 'Kite', 'toys', " + v + ")",
                "INSERT INTO marts.mart_product_daily (order_date, product_id, revenue, units, orders, version_from) "
                        + "SELECT d::date, 'p1', " + v + ", 1, 1, " + v + " FROM generate_series('2025-03-01'::date, '2025-03-30', '1 day') d",
                "INSERT INTO marts.mart_customer (customer_id, first_order_date, last_order_date, orders, ltv, ltv_30d, "
                        + "active_months, version_from) SELECT 'c-' || k, '2025-03-01', '2025-03-01', 1, 1.00, 1.00, "
                        + "'{2025-03-01}', " + v + " FROM generate_series(1, " + (big ? 150_000 : 20) + ") k",
                "INSERT INTO marts.mart_customer_daily (order_date, customer_id, country, state, orders, revenue, version_from) "
                        + "SELECT '2025-03-01', 'c-' || k, 'US', 'NY', 1, 1.00, " + v + " FROM generate_series(1, "
                        + (big ? 150_000 : 20) + ") k",
                "INSERT INTO pipeline.published_version VALUES (" + v + ", " + v + ", now(), now())"));
        sql(dataSource, statements.toArray(String[]::new));
    }

    @Test
    void aVersionSpanningCenturiesWithManyCategoriesTakesTheMemoryOfItsRows() throws Exception {
        sql(dataSource, "TRUNCATE pipeline.published_version, pipeline.transform_run, " + MARTS + " CASCADE");
        publish(1, false);
        PreparedKpis prepared = PreparedKpis.load(repository, 1, Long.MAX_VALUE);
        // 46,000 days x 201 series of prefix sums was 134 MiB; the rows it holds are a few hundred
        assertThat(prepared.bytes()).as("bytes of the prepared version").isLessThan(1 << 20);
        // and a budget too small for it is refused before anything is built
        assertThatThrownBy(() -> PreparedKpis.load(repository, 1, Long.MAX_VALUE, 1024))
                .isInstanceOf(PreparedKpis.NotPreparable.class).hasMessageContaining("MiB");
    }

    @Test
    void sustainedPublishingWithTheHeapNearlyTakenAnswersOnly200s() throws Exception {
        sql(dataSource, "TRUNCATE pipeline.published_version, pipeline.transform_run, " + MARTS + " CASCADE");
        double sqlBefore = count("sql");
        double preparedBefore = count("prepared");
        publish(1, false);
        given().get("/api/v1/kpis/summary?from=1900-01-01&to=2026-12-31").then().statusCode(200);

        AtomicBoolean publishing = new AtomicBoolean(true);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        String[] questions = {
            "/api/v1/kpis/summary?from=1900-01-01&to=2026-12-31",
            "/api/v1/kpis/revenue?from=1900-01-01&to=2026-12-31&granularity=month",
            "/api/v1/kpis/revenue?from=2000-01-01&to=2026-12-31&granularity=day",
            "/api/v1/kpis/revenue-by-category?from=1900-01-01&to=2026-12-31",
            "/api/v1/kpis/top-products?from=1900-01-01&to=2026-12-31&limit=1000",
            "/api/v1/kpis/geography?from=1900-01-01&to=2026-12-31&level=state",
            "/api/v1/kpis/customer-ltv?limit=1000",
        };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> askers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            askers.add(pool.submit(() -> {
                for (int i = offset; publishing.get(); i++) {
                    String q = questions[i % questions.length];
                    Response r = given().get(q);
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() != 200) {
                        wrong.add(r.statusCode() + " " + q + ": " + r.asString());
                    } else if (q.contains("summary")) {
                        long v = r.jsonPath().getLong("version");
                        BigDecimal revenue = new BigDecimal(r.jsonPath().getString("revenue"));
                        if (revenue.compareTo(BigDecimal.valueOf(30 * v + 1)) != 0) {
                            wrong.add("version " + v + " answered revenue " + revenue);
                        }
                    }
                }
                return null;
            }));
        }
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        long v = 2;
        while (Instant.now().isBefore(end)) {
            publish(v, v % 2 == 0);
            v++;
            Thread.sleep(800);
        }
        Thread.sleep(1500);
        publishing.set(false);
        for (Future<?> f : askers) {
            f.get();
        }
        pool.shutdown();
        assertThat(wrong).as("answers other than a right 200").isEmpty();
        assertThat(statuses.keySet()).containsOnly(200);
        assertThat(statuses.get(200)).isGreaterThan(50);
        assertThat(count("sql") - sqlBefore).as("versions too large for the budget, answered by SQL").isPositive();
        assertThat(count("prepared") - preparedBefore).as("versions that fit, prepared").isPositive();
        assertThat(answers.weightedBytes()).isLessThanOrEqualTo(16L << 20);
    }

    @Test
    void answersPastTheBoundAre400sAndNothingElseSlows() throws Exception {
        sql(dataSource, "TRUNCATE pipeline.published_version, pipeline.transform_run, " + MARTS + " CASCADE");
        publish(1, false);
        given().get("/api/v1/kpis/revenue?from=0001-01-01&to=9999-12-31&granularity=day").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("10,000"));
        given().get("/api/v1/kpis/revenue?from=0001-01-01&to=9999-12-31&granularity=week").then().statusCode(400);
        given().get("/api/v1/kpis/revenue?from=1200-01-01&to=2033-04-30&granularity=month").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(10_000));
        given().get("/api/v1/kpis/revenue?from=2000-01-01&to=2027-05-18&granularity=day").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(10_000));
        given().get("/api/v1/kpis/revenue?from=2000-01-01&to=2027-05-19&granularity=day").then().statusCode(400);
        // 201 categories are fine; the bound is for groups past 10,000
        given().get("/api/v1/kpis/revenue-by-category?from=1900-01-01&to=2026-12-31").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(201));
        // a 10,000-period answer (about 0.9 MB) is answered but not kept: the cache stays small
        answers.clear();
        given().get("/api/v1/kpis/revenue?from=2000-01-01&to=2027-05-18&granularity=day").then().statusCode(200);
        given().get("/api/v1/kpis/summary?from=2025-03-01&to=2025-03-31").then().statusCode(200);
        assertThat(answers.weightedBytes()).isLessThan(64 * 1024);
    }

    private double count(String outcome) {
        var counter = registry.find("shopflow.analytics.preparations").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
