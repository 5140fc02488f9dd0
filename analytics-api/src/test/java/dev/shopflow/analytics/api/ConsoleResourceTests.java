package dev.shopflow.analytics.api;

import static dev.shopflow.common.testing.Sql.sql;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The console's data on the owners' real schemas: transform runs with steps, the catalog with its
 * lineage, the published data's extent, quality's results (asked over HTTP; quality is away here, so
 * the answer says so; OperationsAndConsoleIT sees real ones) and the console page itself.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service,transform-service"))
class ConsoleResourceTests {

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void fixture() throws Exception {
        sql(dataSource, "TRUNCATE pipeline.published_version, pipeline.transform_run, marts.mart_daily_sales CASCADE",
                "INSERT INTO pipeline.transform_run (run_id, kind, status, started_at, finished_at, batches, published_version, steps) "
                        + "VALUES (1, 'incremental', 'succeeded', '2025-03-10T01:00:00Z', '2025-03-10T01:00:02.5Z', 3, 1, "
                        + "'[{\"step\":\"facts\",\"rows\":40,\"duration_ms\":900},{\"step\":\"marts\",\"rows\":12,\"duration_ms\":300}]'), "
                        + "(2, 'rebuild', 'failed', '2025-03-11T01:00:00Z', NULL, 0, NULL, '[]')",
                "UPDATE pipeline.transform_run SET error = 'boom' WHERE run_id = 2",
                "INSERT INTO pipeline.published_version VALUES (1, 1, now(), '2025-03-10T01:00:00Z')",
                "INSERT INTO marts.mart_daily_sales (order_date, revenue, orders, units, version_from) VALUES "
                        + "('2025-03-03', 100.00, 2, 5, 1), ('2025-03-09', 30.00, 1, 3, 1), ('2025-04-01', 9.00, 1, 1, 2)");
    }

    @Test
    void transformRunsComeNewestFirstWithTheirSteps() {
        JsonPath runs = given().when().get("/api/v1/console/transform-runs?limit=5").then().statusCode(200).extract().jsonPath();
        assertThat(runs.getList("items.run_id", Integer.class)).containsExactly(2, 1);
        assertThat(runs.getString("items[0].error")).isEqualTo("boom");
        assertThat(runs.getList("items[1].steps.step", String.class)).containsExactly("facts", "marts");
        assertThat(runs.getInt("items[1].steps[0].rows")).isEqualTo(40);
        assertThat(runs.getDouble("items[1].duration_ms")).isEqualTo(2500.0);
    }

    /** Quality is unreachable in this test profile: the page gets an answer that says so, not a 500. */
    @Test
    void checkResultsSayWhenQualityDoesNotAnswer() {
        JsonPath answer = given().when().get("/api/v1/console/check-results").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getBoolean("available")).isFalse();
        assertThat(answer.getString("reason")).contains("quality-service");
        assertThat(answer.getList("items")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/console/transform-runs?limit=0, limit", "/api/v1/console/transform-runs?limit=201, limit",
            "/api/v1/console/transform-runs?limit=many, limit", "/api/v1/console/check-results?check=a%20b, check",
            "/api/v1/console/check-results?limit=-1, limit"})
    void badParametersAreProblems(String url, String field) {
        given().urlEncodingEnabled(false).when().get(url).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors.field", org.hamcrest.Matchers.hasItem(field));
    }

    @Test
    void theExtentIsThePublishedVersionsDays() {
        given().when().get("/api/v1/console/extent").then().statusCode(200)
                .body("version", equalTo(1)).body("first_day", equalTo("2025-03-03")).body("last_day", equalTo("2025-03-09"));
    }

    /** Every table the lineage names exists, with the sources it names: a renamed table fails here, not in a browser. */
    @Test
    void theCatalogHoldsEveryLayersTablesAndTheLineageBetweenThem() throws Exception {
        // transform creates the core views at the start of a run (they need ingestion's staging tables)
        sql(dataSource, java.nio.file.Files.readString(java.nio.file.Path.of("../transform-service/src/main/resources/sql/core_views.sql")));
        JsonNode catalog = new ObjectMapper().readTree(given().when().get("/api/v1/console/catalog").then().statusCode(200)
                .extract().asString());
        Map<String, JsonNode> tables = new java.util.HashMap<>();
        catalog.path("tables").forEach(t -> tables.put(t.path("id").asText(), t));
        assertThat(tables).containsKeys("staging.orders", "core.order_line", "warehouse.fact_order_line", "marts.mart_daily_sales");
        assertThat(tables.keySet()).allMatch(id -> List.of("staging", "core", "warehouse", "marts").contains(id.split("\\.")[0]));
        // a view's sources from the database's own dependencies
        assertThat(sources(tables.get("core.order_line"))).anyMatch(s -> s.startsWith("staging."));
        assertThat(sources(tables.get("marts.mart_daily_sales"))).containsExactly("warehouse.fact_order_line");
        assertThat(tables.get("marts.mart_daily_sales").path("comment").asText()).isNotBlank();
        assertThat(tables.get("marts.mart_daily_sales").path("columns")).anySatisfy(c -> {
            assertThat(c.path("name").asText()).isEqualTo("revenue");
            assertThat(c.path("comment").asText()).isNotBlank();
        });
        JsonNode lineage;
        try (InputStream in = ConsoleResourceTests.class.getResourceAsStream("/console/lineage.json")) {
            lineage = new ObjectMapper().readTree(in);
        }
        lineage.path("built_from").fields().forEachRemaining(e -> {
            assertThat(tables).as("lineage.json names %s", e.getKey()).containsKey(e.getKey());
            e.getValue().forEach(s -> assertThat(tables).as("%s built from %s", e.getKey(), s.asText()).containsKey(s.asText()));
        });
        lineage.path("endpoints").fields().forEachRemaining(e -> e.getValue()
                .forEach(m -> assertThat(tables).as("%s reads %s", e.getKey(), m.asText()).containsKey(m.asText())));
        assertThat(catalog.path("endpoints").path("/api/v1/kpis/summary")).isNotEmpty();
    }

    static List<String> sources(JsonNode table) {
        List<String> out = new ArrayList<>();
        table.path("built_from").forEach(s -> out.add(s.asText()));
        return out;
    }

    @Test
    void theConsoleIsServedWithoutCredentials() {
        given().when().get("/console/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(org.hamcrest.Matchers.containsString("console.js"));
        given().when().get("/console/console.js").then().statusCode(200);
        given().when().get("/console/charts.js").then().statusCode(200);
    }
}
