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
}
