package dev.shopflow.analytics.api;

import static dev.shopflow.common.testing.Sql.sql;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The API over a small published marts fixture on transform's real schema: the answers, every
 * validation rule, ETags and 304s, and the switch to a newly published version. (The KPIs against
 * figures computed independently from generated inputs: KpiContractIT.)
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service,transform-service"))
class KpiResourceTests {

    @Inject
    AgroalDataSource dataSource;

    /** Version 1: a week from Monday 2025-03-03, two categories, three customers, two products. */
    @BeforeEach
    void publishedFixture() throws Exception {
        sql(dataSource, "TRUNCATE pipeline.published_version, pipeline.transform_run, marts.mart_daily_sales, marts.mart_daily_category_sales, "
                        + "marts.mart_product_daily, marts.mart_product, marts.mart_customer_daily, marts.mart_customer, "
                        + "marts.mart_cohort, marts.mart_payment_daily, marts.mart_daily_channel_sales CASCADE",
                "INSERT INTO pipeline.transform_run (run_id, kind, status, started_at) VALUES (1, 'incremental', 'succeeded', now()), "
                        + "(2, 'incremental', 'succeeded', now())",
                "INSERT INTO pipeline.published_version VALUES (1, 1, now(), '2025-03-10T01:00:00Z')",
                // Monday 100 (2 orders), Tuesday 50, Sunday 30; nothing Wednesday-Saturday
                "INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from) VALUES "
                        + "('2025-03-03', 100.00, 2, 5, 1), ('2025-03-04', 50.00, 1, 1, 1), ('2025-03-09', 30.00, 1, 3, 1)",
                "INSERT INTO marts.mart_daily_category_sales (order_date, category, revenue, orders, units, version_from) VALUES "
                        + "('2025-03-03', 'toys', 60.00, 2, 3, 1), ('2025-03-03', 'books', 40.00, 1, 2, 1), "
                        + "('2025-03-04', 'toys', 50.00, 1, 1, 1), ('2025-03-09', 'books', 30.00, 1, 3, 1)",
                "INSERT INTO marts.mart_daily_channel_sales (order_date, channel, revenue, orders, units, version_from) VALUES "
                        + "('2025-03-03', 'web', 70.00, 1, 2, 1), ('2025-03-03', 'mobile', 30.00, 1, 3, 1), "
                        + "('2025-03-04', 'mobile', 50.00, 1, 1, 1), ('2025-03-09', 'marketplace', 30.00, 1, 3, 1), "
                        // a row of a later, unpublished version must not be seen
                        + "('2025-03-09', 'web', 999.00, 9, 9, 2)",
                "INSERT INTO marts.mart_product_daily (order_date, product_id, revenue, units, orders, version_from) VALUES "
                        + "('2025-03-03', 'p1', 60.00, 3, 2, 1), ('2025-03-03', 'p2', 40.00, 2, 1, 1), "
                        + "('2025-03-04', 'p1', 50.00, 1, 1, 1), ('2025-03-09', 'p2', 30.00, 3, 1, 1)",
                "INSERT INTO marts.mart_product (product_id, name, category, version_from) VALUES "
                        + "('p1', 'Kite', 'toys', 1), ('p2', 'Atlas', 'books', 1)",
                "INSERT INTO marts.mart_customer_daily (order_date, customer_id, country, state, orders, revenue, version_from) VALUES "
                        + "('2025-03-03', 'c1', 'GB', '', 1, 70.00, 1), ('2025-03-03', 'c2', 'US', 'NY', 1, 30.00, 1), "
                        + "('2025-03-04', 'c1', 'GB', '', 1, 50.00, 1), ('2025-03-09', 'c3', 'US', 'CA', 1, 30.00, 1)",
                "INSERT INTO marts.mart_customer (customer_id, first_order_date, last_order_date, orders, ltv, ltv_30d, active_months, "
                        + "version_from) VALUES ('c1', '2025-02-01', '2025-03-04', 3, 220.00, 220.00, '{2025-02-01,2025-03-01}', 1), "
                        + "('c2', '2025-03-03', '2025-03-03', 1, 30.00, 30.00, '{2025-03-01}', 1), "
                        + "('c3', '2025-03-09', '2025-03-09', 1, 30.00, 30.00, '{2025-03-01}', 1)",
                "INSERT INTO marts.mart_cohort (cohort_month, month_offset, customers, version_from) VALUES "
                        + "('2025-02-01', 0, 1, 1), ('2025-02-01', 1, 1, 1), ('2025-03-01', 0, 2, 1)",
                "INSERT INTO marts.mart_payment_daily (paid_date, method, amount, payments, version_from) VALUES "
                        + "('2025-03-03', 'paypal', 75.00, 1, 1), ('2025-03-04', 'credit_card', 25.00, 1, 1)");
    }

    @Test
    void shouldAnswerTheSummaryOfARange() {
        given().get("/api/v1/kpis/summary?from=2025-03-03&to=2025-03-09").then().statusCode(200)
                .body("version", equalTo(1)).body("as_of", equalTo("2025-03-10T01:00:00Z"))
                .body("revenue", equalTo(180.0f)).body("orders", equalTo(4)).body("units", equalTo(9))
                .body("aov", equalTo(45.0f)).body("customers", equalTo(3))
                // c1 first ordered in February: only c2 and c3 are new; c1 has 2 orders in the range
                .body("new_customers", equalTo(2)).body("repeat_customer_rate", equalTo(0.3333f));
        given().get("/api/v1/kpis/summary?from=2025-03-05&to=2025-03-08").then().statusCode(200)
                .body("revenue", equalTo(0.0f)).body("aov", equalTo(null)).body("repeat_customer_rate", equalTo(null));
    }

    @Test
    void shouldLabelWeeksByTheirMondayAndListEveryDayOfTheWeek() {
        given().get("/api/v1/kpis/revenue?from=2025-03-04&to=2025-03-10&granularity=week").then().statusCode(200)
                .body("items.period", contains("2025-03-03", "2025-03-10")).body("items[0].revenue", equalTo(80.0f));
        given().get("/api/v1/kpis/revenue?from=2025-03-03&to=2025-03-09&category=books").then().statusCode(200)
                .body("items", hasSize(7)).body("items[0].revenue", equalTo(40.0f)).body("items[6].revenue", equalTo(30.0f));
        given().get("/api/v1/kpis/weekday?from=2025-03-03&to=2025-03-09").then().statusCode(200)
                .body("items.day_of_week", contains(1, 2, 3, 4, 5, 6, 7))
                .body("items[0].day_name", equalTo("monday")).body("items[0].revenue", equalTo(100.0f))
                .body("items[6].day_name", equalTo("sunday")).body("items[6].orders", equalTo(1))
                .body("items[3].revenue", equalTo(0.0f));
    }

    @Test
    void shouldRankCategoriesProductsCustomersAndPaymentMethods() {
        given().get("/api/v1/kpis/revenue-by-category?from=2025-03-03&to=2025-03-09").then().statusCode(200)
                .body("items.category", contains("toys", "books")).body("items[0].share", equalTo(0.6111f));
        given().get("/api/v1/kpis/revenue-by-channel?from=2025-03-03&to=2025-03-09").then().statusCode(200)
                .body("items.channel", contains("mobile", "web", "marketplace"))
                .body("items[0].revenue", equalTo(80.0f)).body("items[0].orders", equalTo(2))
                .body("items[0].units", equalTo(4)).body("items[0].share", equalTo(0.4444f))
                .body("items[1].share", equalTo(0.3889f)).body("items[2].share", equalTo(0.1667f));
        given().get("/api/v1/kpis/revenue-by-channel?from=2025-03-04&to=2025-03-04").then().statusCode(200)
                .body("items.channel", contains("mobile")).body("items[0].share", equalTo(1.0f));
        given().get("/api/v1/kpis/revenue-by-channel?from=2025-03-09&to=2025-03-03").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/kpis/top-products?from=2025-03-03&to=2025-03-09&by=units&limit=1").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].product_id", equalTo("p2")).body("items[0].rank", equalTo(1))
                .body("items[0].name", equalTo("Atlas")).body("items[0].units", equalTo(5));
        given().get("/api/v1/kpis/customer-ltv?limit=2").then().statusCode(200)
                .body("items.customer_id", contains("c1", "c2"));
        given().get("/api/v1/kpis/payment-methods?from=2025-03-01&to=2025-03-31").then().statusCode(200)
                .body("items.method", contains("paypal", "credit_card")).body("items[0].share", equalTo(0.75f));
        given().get("/api/v1/kpis/geography?from=2025-03-03&to=2025-03-09&level=state").then().statusCode(200)
                .body("items.find { it.state == 'NY' }.customers", equalTo(1))
                .body("items.find { it.country == 'GB' }.state", equalTo(null));
        given().get("/api/v1/kpis/geography?from=2025-03-03&to=2025-03-09").then().statusCode(200)
                .body("items[0].country", equalTo("GB")).body("items[1].customers", equalTo(2));
    }

    @Test
    void shouldPageTopProductsAndCustomerLtvWithTheirTotal() {
        // by revenue: p1 110, p2 70
        given().get("/api/v1/kpis/top-products?from=2025-03-03&to=2025-03-09&limit=1&offset=1").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].product_id", equalTo("p2")).body("items[0].rank", equalTo(2))
                .body("total", equalTo(2)).body("offset", equalTo(1)).body("limit", equalTo(1));
        given().get("/api/v1/kpis/top-products?from=2025-03-03&to=2025-03-09&limit=5").then().statusCode(200)
                .body("items.product_id", contains("p1", "p2")).body("total", equalTo(2)).body("offset", equalTo(0))
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("total")));
        // past the end: no rows, the total still said
        given().get("/api/v1/kpis/top-products?from=2025-03-03&to=2025-03-09&offset=7").then().statusCode(200)
                .body("items", hasSize(0)).body("total", equalTo(2));
        given().get("/api/v1/kpis/top-products?from=2025-03-05&to=2025-03-08").then().statusCode(200)
                .body("items", hasSize(0)).body("total", equalTo(0));
        given().get("/api/v1/kpis/customer-ltv?limit=2&offset=1").then().statusCode(200)
                .body("items.customer_id", contains("c2", "c3")).body("total", equalTo(3));
        given().get("/api/v1/kpis/customer-ltv?offset=3").then().statusCode(200)
                .body("items", hasSize(0)).body("total", equalTo(3));
        for (String bad : new String[] {"-1", "x", "1000001", "99999999999"}) {
            given().get("/api/v1/kpis/customer-ltv?offset=" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.containsString("offset"));
            given().get("/api/v1/kpis/top-products?from=2025-03-03&to=2025-03-09&offset=" + bad).then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void shouldAnswerListsAsCsvWithTheSameRowsAndRounding() {
        String csv = given().accept("text/csv").get("/api/v1/kpis/revenue-by-category?from=2025-03-03&to=2025-03-09").then()
                .statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .header("X-ShopFlow-Version", "1").header("X-ShopFlow-As-Of", "2025-03-10T01:00:00Z")
                .header("Vary", "Accept").extract().asString();
        assertThat(csv).isEqualTo("category,revenue,orders,units,share\r\ntoys,110.00,3,4,0.6111\r\nbooks,70.00,2,5,0.3889\r\n");
        // ?format=csv does the same for clients that cannot set headers; JSON stays the default
        assertThat(given().get("/api/v1/kpis/revenue-by-category?from=2025-03-03&to=2025-03-09&format=csv").then()
                .statusCode(200).extract().asString()).isEqualTo(csv);
        given().accept("text/csv, application/json").get("/api/v1/kpis/revenue-by-category?from=2025-03-03&to=2025-03-09")
                .then().statusCode(200).contentType("application/json");
        given().get("/api/v1/kpis/revenue-by-category?from=2025-03-03&to=2025-03-09&format=xml").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("format"));
        // a cached JSON answer is never served as CSV (and the other way round)
        given().get("/api/v1/kpis/top-products?from=2025-03-03&to=2025-03-09").then().contentType("application/json");
        assertThat(given().accept("text/csv").get("/api/v1/kpis/top-products?from=2025-03-03&to=2025-03-09").then()
                .statusCode(200).extract().asString())
                .isEqualTo("rank,product_id,name,category,revenue,units\r\n1,p1,Kite,toys,110.00,4\r\n2,p2,Atlas,books,70.00,5\r\n");
        // every period, zeros included; a retention list in one quoted cell; a single figure as one row
        assertThat(given().accept("text/csv").get("/api/v1/kpis/weekday?from=2025-03-03&to=2025-03-09").then()
                .extract().asString().split("\r\n")).hasSize(8);
        assertThat(given().accept("text/csv").get("/api/v1/kpis/cohorts?from=2025-02&to=2025-03").then().statusCode(200)
                .extract().asString()).contains("\"[");
        assertThat(given().accept("text/csv").get("/api/v1/kpis/summary?from=2025-03-03&to=2025-03-09").then().statusCode(200)
                .extract().asString()).startsWith("as_of,version,from,to,revenue").contains(",180.00,4,9,");
        // errors stay problem+json whatever was asked for
        given().accept("text/csv").get("/api/v1/kpis/revenue-by-category?from=2025-03-09").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswerCustomersCohortsAndSegments() {
        given().get("/api/v1/kpis/customers/c1").then().statusCode(200)
                .body("ltv", equalTo(220.0f)).body("orders", equalTo(3)).body("first_order_date", equalTo("2025-02-01"))
                .body("rfm.as_of", equalTo("2025-03-09")).body("rfm.reference_date", equalTo("2025-03-09"))
                .body("rfm.recency_days", equalTo(5));
        given().get("/api/v1/kpis/customers/nobody").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/kpis/cohorts?from=2025-01&to=2025-03").then().statusCode(200)
                .body("items.cohort_month", contains("2025-02-01", "2025-03-01"))
                .body("items[0].size", equalTo(1)).body("items[0].retention", contains(1.0f, 1.0f))
                .body("items[1].retention", contains(1.0f));
        JsonPath segments = given().get("/api/v1/kpis/rfm-segments").then().statusCode(200).extract().jsonPath();
        assertThat(segments.getList("items.customers", Integer.class).stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        given().get("/api/v1/kpis/rfm-segments?as_of=2025-03-05").then().statusCode(200)
                .body("rfm_as_of", equalTo("2025-03-05"))
                // as of 2025-03-05 c3 (first order 2025-03-09) is not a customer yet
                .body("items.customers.sum()", equalTo(2));
        // the new name says which date is meant; the answer's as_of stays the watermark timestamp
        given().get("/api/v1/kpis/rfm-segments?reference_date=2025-03-05").then().statusCode(200)
                .body("reference_date", equalTo("2025-03-05")).body("as_of", equalTo("2025-03-10T01:00:00Z"))
                .body("items.customers.sum()", equalTo(2));
        given().get("/api/v1/kpis/rfm-segments?reference_date=2025-3-5").then().statusCode(400)
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("reference_date")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            /summary?to=2025-03-09                               | from
            /summary?from=2025-13-01&to=2025-03-09               | from
            /summary?from=2025-02-30&to=2025-03-09               | from
            /summary?from=2025-03-09&to=2025-03-01               | from
            /summary?from=yesterday&to=2025-03-09                | from
            /summary?from=2025-03-01&to=2025-03-09'%20OR%201=1   | to
            /revenue?from=2025-03-01&to=2025-03-09&granularity=fortnight | granularity
            /top-products?from=2025-03-01&to=2025-03-09&limit=0   | limit
            /top-products?from=2025-03-01&to=2025-03-09&limit=1001 | limit
            /top-products?from=2025-03-01&to=2025-03-09&limit=-5  | limit
            /top-products?from=2025-03-01&to=2025-03-09&limit=abc | limit
            /top-products?from=2025-03-01&to=2025-03-09&limit=99999999999999999999 | limit
            /top-products?from=2025-03-01&to=2025-03-09&by=price  | by
            /customer-ltv?order=sideways                           | order
            /customer-ltv?limit=2000                               | limit
            /rfm-segments?as_of=2025-3-1                           | as_of
            /cohorts?from=2025&to=2025-03                          | from
            /geography?from=2025-03-01&to=2025-03-09&level=city    | level
            /payment-methods?from=2025-03-01                       | to
            /customers/a%20b                                       | customer_id
            /customers/x%27%20OR%201=1                             | customer_id
            """)
    void shouldRefuseABadParameterWithAProblemNamingIt(String path, String parameter) {
        given().urlEncodingEnabled(false).get("/api/v1/kpis" + path).then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400))
                .body("errors.field", hasItem(parameter));
    }

    @Test
    void shouldRefuseAParameterThatIsNotUtf8() {
        // %FF never occurs in UTF-8; %C3%28 is a lead byte without its continuation
        for (String query : new String[] {"from=%FF%FE&to=2025-03-09", "from=2025-03-01&to=2025-03-09&category=%C3%28"}) {
            given().urlEncodingEnabled(false).get("/api/v1/kpis/summary?" + query).then().statusCode(400)
                    .contentType("application/problem+json").body("type", endsWith("/unreadable-target"));
        }
        given().urlEncodingEnabled(false).get("/api/v1/kpis/revenue?from=2025-03-01&to=2025-03-09&category=caf%C3%A9")
                .then().statusCode(200);
    }

    @Test
    void shouldAnswer304WhileTheVersionStandsAndTheNewFiguresOnceANewOneIsPublished() throws Exception {
        String url = "/api/v1/kpis/summary?from=2025-03-03&to=2025-03-09";
        Response first = given().get(url);
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"v1-");
        assertThat(first.header("Cache-Control")).contains("max-age=60");
        given().header("If-None-Match", etag).get(url).then().statusCode(304);
        // If-None-Match compares weakly (RFC 9110): a weak tag, one in a list, and * match too
        given().header("If-None-Match", "W/" + etag).get(url).then().statusCode(304);
        given().header("If-None-Match", "\"other\", W/" + etag).get(url).then().statusCode(304);
        given().header("If-None-Match", "*").get(url).then().statusCode(304);
        given().header("If-None-Match", "W/\"other\"").get(url).then().statusCode(200);
        // an Accept that rules out both JSON and CSV: 406, as problem+json
        given().accept("text/csv;q=0").get(url).then().statusCode(406).contentType(containsString("problem+json"));
        given().accept("application/json;q=0, text/csv;q=0").get(url).then().statusCode(406);
        given().accept("application/json;q=0, text/csv").get(url).then().statusCode(200).contentType(containsString("text/csv"));
        // another request has another tag
        assertThat(given().get("/api/v1/kpis/summary?from=2025-03-03&to=2025-03-08").header("ETag")).isNotEqualTo(etag);

        // version 2 is written beside version 1 (Monday changes), then published
        sql(dataSource, "UPDATE marts.mart_daily_sales SET version_to = 2 WHERE order_date = '2025-03-03'",
                "INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from) VALUES ('2025-03-03', 10.00, 1, 1, 2)");
        given().header("If-None-Match", etag).get(url).then().statusCode(304).header("ETag", equalTo(etag));
        given().get(url).then().body("revenue", equalTo(180.0f)).body("version", equalTo(1));
        sql(dataSource, "INSERT INTO pipeline.published_version VALUES (2, 2, now(), '2025-03-11T01:00:00Z')");
        Response second = given().header("If-None-Match", etag).get(url);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.header("ETag")).startsWith("\"v2-");
        second.then().body("version", equalTo(2)).body("revenue", equalTo(90.0f)).body("as_of", equalTo("2025-03-11T01:00:00Z"));
    }

    @Test
    void shouldAnswerAVersionThatCannotBePreparedInMemoryBySql() throws Exception {
        given().get("/api/v1/kpis/summary?from=2025-03-03&to=2025-03-09").then().body("version", equalTo(1));
        // version 2 holds an amount with three decimals: not exact in hundredths, so it is not prepared
        // in memory (PreparedKpis refuses it) and SQL answers it, rounding only the answer
        sql(dataSource, "UPDATE marts.mart_daily_sales SET version_to = 2 WHERE order_date = '2025-03-09'",
                "INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from) VALUES ('2025-03-09', 30.005, 1, 3, 2)",
                "INSERT INTO pipeline.published_version VALUES (2, 2, now(), '2025-03-11T01:00:00Z')");
        given().get("/api/v1/kpis/summary?from=2025-03-03&to=2025-03-09").then().statusCode(200)
                .body("version", equalTo(2)).body("revenue", equalTo(180.01f)).body("customers", equalTo(3));
        given().get("/api/v1/kpis/weekday?from=2025-03-03&to=2025-03-09").then().statusCode(200)
                .body("items[6].revenue", equalTo(30.01f));
    }

    @Test
    void shouldKeepTheWireShapeOfTheTypedAnswers() {
        // the exact JSON: snake_case names in the documented order, nulls kept, state absent by country
        assertThat(given().get("/api/v1/kpis/summary?from=2025-03-05&to=2025-03-08").asString()).isEqualTo(
                "{\"as_of\":\"2025-03-10T01:00:00Z\",\"version\":1,\"from\":\"2025-03-05\",\"to\":\"2025-03-08\",\"revenue\":0.00,"
                        + "\"orders\":0,\"units\":0,\"aov\":null,\"customers\":0,\"new_customers\":0,\"repeat_customer_rate\":null}");
        assertThat(given().get("/api/v1/kpis/geography?from=2025-03-03&to=2025-03-09&level=country").asString()).isEqualTo(
                "{\"as_of\":\"2025-03-10T01:00:00Z\",\"version\":1,\"from\":\"2025-03-03\",\"to\":\"2025-03-09\",\"level\":\"country\","
                        + "\"items\":[{\"country\":\"GB\",\"revenue\":120.00,\"orders\":2,\"customers\":1},"
                        + "{\"country\":\"US\",\"revenue\":60.00,\"orders\":2,\"customers\":2}]}");
        assertThat(given().get("/api/v1/kpis/geography?from=2025-03-03&to=2025-03-09&level=state").asString()).contains(
                "{\"country\":\"GB\",\"state\":null,\"revenue\":120.00,\"orders\":2,\"customers\":1}");
    }

    @Test
    void shouldPublishResponseSchemasProblemsAndTheBasicScheme() {
        JsonPath api = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertThat(api.getMap("components.schemas")).containsKeys("Summary", "RevenueSeries", "CategoryRevenue", "ChannelRevenue",
                "TopProducts", "Customer", "CustomerLtv", "RfmSegments", "Cohorts", "PaymentMethods", "Geography", "Weekday", "Problem");
        assertThat(api.getMap("components.schemas.Summary.properties")).containsKeys("as_of", "version", "revenue", "new_customers",
                "repeat_customer_rate");
        assertThat(api.getMap("components.schemas.RankedProduct.properties")).containsKeys("rank", "product_id", "name");
        assertThat(api.getMap("components.schemas.Problem.properties")).containsKeys("type", "title", "status", "detail", "errors");
        assertThat(api.getString("components.securitySchemes.basicAuth.scheme")).isEqualTo("basic");
        String summary = "paths.'/api/v1/kpis/summary'.get.responses";
        assertThat(api.getString(summary + ".'200'.content.'application/json'.schema.$ref")).isEqualTo("#/components/schemas/Summary");
        for (String path : new String[] {"summary", "top-products", "geography", "customer-ltv"}) {
            String responses = "paths.'/api/v1/kpis/" + path + "'.get.responses";
            assertThat(api.getString(responses + ".'400'.content.'application/problem+json'.schema.$ref")).as(path)
                    .isEqualTo("#/components/schemas/Problem");
            assertThat(api.getString(responses + ".'503'.content.'application/problem+json'.schema.$ref")).as(path)
                    .isEqualTo("#/components/schemas/Problem");
        }
        assertThat(api.getString("paths.'/api/v1/kpis/customers/{customer_id}'.get.responses.'404'.content.'application/problem+json'.schema.$ref"))
                .isEqualTo("#/components/schemas/Problem");
    }
}
