package dev.shopflow.generator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DatasetResourceTests {

    static String csv(String entity, String from, String to) {
        return given().queryParam("from", from).queryParam("to", to).queryParam("seed", "5")
                .queryParam("orders_per_day", "40")
                .when().get("/api/v1/datasets/" + entity)
                .then().statusCode(200).contentType("text/csv").extract().asString();
    }

    static String withoutHeader(String csv) {
        return csv.substring(csv.indexOf("\r\n") + 2);
    }

    @Test
    void shouldStreamTheSameRecordsForARangeOrItsDaysOneByOne() {
        String range = csv("orders", "2025-03-01", "2025-03-03");
        assertThat(range).startsWith("order_id,customer_id,order_ts,status,channel,updated_at\r\n");
        String pieces = withoutHeader(csv("orders", "2025-03-01", "2025-03-01"))
                + withoutHeader(csv("orders", "2025-03-02", "2025-03-02"))
                + withoutHeader(csv("orders", "2025-03-03", "2025-03-03"));
        assertThat(withoutHeader(range)).isEqualTo(pieces);
        assertThat(range.split("\r\n")).hasSizeGreaterThan(100);
        assertThat(Arrays.stream(range.split("\r\n")).skip(1)).allMatch(line -> line.split(",", -1).length == 6);
    }

    @Test
    void shouldQuoteFieldsThatNeedIt() {
        String products = csv("products", "2025-03-01", "2025-03-01");
        assertThat(products).startsWith("product_id,name,category,unit_price,unit_cost,updated_at\r\n");
        assertThat(csv("customers", "2025-03-01", "2025-03-01"))
                .startsWith("customer_id,email,first_name,last_name,city,state,country,signup_at,updated_at\r\n");
    }

    @Test
    void shouldRefuseBadParametersAndUnknownEntities() {
        given().queryParam("to", "2025-03-01").when().get("/api/v1/datasets/orders")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("from"));
        given().queryParam("from", "2025-13-01").queryParam("defect_rate", "lots").when().get("/api/v1/datasets/orders")
                .then().statusCode(400).body("errors.field", hasItem("from")).body("errors.field", hasItem("defect_rate"));
        given().queryParam("from", "2025-03-02").queryParam("to", "2025-03-01").when().get("/api/v1/datasets/orders")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().queryParam("from", "2025-03-01").when().get("/api/v1/datasets/widgets")
                .then().statusCode(404).contentType("application/problem+json");
    }

    /**
     * What a request can make the generator hold is bounded (docs/contract.md section 2): dates 1900-2100,
     * at most 1,000,000 orders on the busiest day whatever the growth model says, whole numbers. Each
     * request here once ran out of heap, answered 500 or 502, or generated one order a day by overflow.
     */
    @Test
    void shouldRefuseRequestsBeyondTheBoundsOnTheDatasetAndThePostAlike() {
        // Black Friday 2030: 100,000 a 2020 weekday grows past a million
        given().queryParam("from", "2030-11-22").queryParam("orders_per_day", "100000").when().get("/api/v1/datasets/orders")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("orders_per_day"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("at most 1000000"));
        // the Friday after: 571,000 orders, within the contract's bound but not within this generator's heap
        // (the request that once ran out of heap after 166 s): refused at once, naming the day and the heap
        given().queryParam("from", "2030-11-29").queryParam("orders_per_day", "100000").when().get("/api/v1/datasets/orders")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("orders_per_day"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("2030-11-29"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("MiB of heap"));
        for (String from : new String[] {"+1000000-01-01", "2101-01-01", "1899-12-31"}) {
            given().queryParam("from", from).when().get("/api/v1/datasets/orders")
                    .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("from"));
        }
        given().queryParam("from", "2025-01-01").queryParam("orders_per_day", "1.5").when().get("/api/v1/datasets/orders")
                .then().statusCode(400).body("errors.field", hasItem("orders_per_day"));
        given().queryParam("from", "2025-01-01").queryParam("seed", "1.5").when().get("/api/v1/datasets/orders")
                .then().statusCode(400).body("errors.field", hasItem("seed"));

        for (String body : new String[] {"{\"from\":\"+1000000-01-01\"}", "{\"from\":\"2030-11-29\",\"orders_per_day\":100000}",
                "{\"from\":\"2030-11-29\",\"orders_per_day\":100000}", "{\"from\":\"2025-01-01\",\"orders_per_day\":1.5}", "{\"from\":\"2025-01-01\",\"seed\":1.5}"}) {
            given().auth().preemptive().basic("shopflow", "shopflow-dev").contentType("application/json").body(body)
                    .when().post("/api/v1/generation-runs")
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    /** Far years within the bounds answer, with the model's volume (no int overflow to one order a day). */
    @Test
    void shouldGenerateTheFarFutureWithinTheBoundWithoutOverflow() {
        var demand = new dev.shopflow.generator.domain.Demand(dev.shopflow.generator.domain.ShopProfile.defaults(), 1);
        java.time.LocalDate far = java.time.LocalDate.of(2100, 6, 3);
        assertThat(demand.expectedOrders(far)).isGreaterThan(10_000);
        assertThat(demand.ordersOn(far)).isEqualTo((int) Math.round(demand.expectedOrders(far)));
        var big = new dev.shopflow.generator.domain.Demand(dev.shopflow.generator.domain.ShopProfile.defaults(), 100_000);
        assertThat(big.ordersOn(java.time.LocalDate.of(2500, 11, 1))).as("capped, not overflowed")
                .isEqualTo(dev.shopflow.common.wire.DataBounds.MAX_ORDERS_PER_DAY);
        given().queryParam("from", "2100-12-31").queryParam("orders_per_day", "1").when().get("/api/v1/datasets/customers")
                .then().statusCode(200);
    }
}
