package dev.shopflow.ingestion.api;

import static dev.shopflow.common.testing.Sql.one;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static dev.shopflow.ingestion.Fixtures.request;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** CSV through the whole load: the same rules, quarantine and staging as NDJSON. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CsvBatchTests {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldLoadACsvBatchWithTrickyQuotingAndQuarantineBadRows() throws Exception {
        String body = "\uFEFFproduct_id,name,category,unit_price,unit_cost,updated_at,colour\r\n"
                + "csv-p1,\"Kettle, steel\",kitchen,39.90,,2025-01-02T00:00:00Z,red\r\n"
                + "csv-p2,\"The \"\"best\"\"\r\nmug\",kitchen,9.50,2.10,2025-01-02T00:00:00Z,blue\r\n"
                + "csv-p3,Broken,kitchen,-1,,2025-01-02T00:00:00Z,\r\n"
                + "csv-p4,short row\r\n";
        String batchId = authorized().contentType("text/csv; charset=utf-8").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/batches/products")
                .then().statusCode(201)
                .body("received", equalTo(4)).body("loaded", equalTo(2)).body("quarantined", equalTo(2))
                .body("unknown_fields", equalTo(1))
                .extract().path("batch_id");
        assertThat(one(dataSource, "SELECT name FROM staging.products WHERE product_id = 'csv-p1'")).isEqualTo("Kettle, steel");
        assertThat(one(dataSource, "SELECT name FROM staging.products WHERE product_id = 'csv-p2'")).isEqualTo("The \"best\"\r\nmug");
        assertThat(one(dataSource, "SELECT unit_cost::text FROM staging.products WHERE product_id = 'csv-p1'")).isNull();
        assertThat(one(dataSource, "SELECT content_type FROM pipeline.batch WHERE batch_id = '" + batchId + "'")).isEqualTo("text/csv");
        given().queryParam("batch_id", batchId).when().get("/api/v1/quarantine").then().statusCode(200)
                .body("items.size()", equalTo(2))
                .body("items.find { it.line_number == 5 }.reasons.rule", hasItem("range"))
                .body("items.find { it.line_number == 5 }.original_line", equalTo("csv-p3,Broken,kitchen,-1,,2025-01-02T00:00:00Z,"))
                .body("items.find { it.line_number == 6 }.reasons[0].rule", equalTo("malformed"));
    }

    @Test
    void shouldRefuseACsvHeaderWithoutARequiredColumnAndKeepNothing() throws Exception {
        String before = one(dataSource, "SELECT count(*) FROM pipeline.batch");
        authorized().contentType("text/csv; charset=utf-8").body("order_id,line_number,quantity\no-1,1,2\n")
                .when().post("/api/v1/batches/order_items")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("product_id")).body("errors.field", hasItem("unit_price"))
                .body("detail", containsString("missing"));
        assertThat(one(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(before);
    }

    @Test
    void shouldRefuseACharsetOtherThanUtf8() {
        authorized().contentType("text/csv; charset=ISO-8859-1").body("a\n".getBytes(StandardCharsets.ISO_8859_1))
                .when().post("/api/v1/batches/products")
                .then().statusCode(415).contentType("application/problem+json").body("detail", containsString("UTF-8"));
    }
}
