package dev.shopflow.quality.api;

import static dev.shopflow.common.testing.Sql.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.quality.service.FreshnessMonitor;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The shipped default checks against the real ingestion and transform schemas. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "apply-migrations-of", value = "ingestion-service,transform-service"))
class QualityResourceTests {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    FreshnessMonitor freshness;

    @Test
    void shouldFailAnAcceptedValuesCheckWithASampleAndKeepTheResult() throws Exception {
        sql(dataSource, "INSERT INTO staging.orders (order_id, customer_id, order_ts, status, channel, updated_at, batch_seq) "
                + "VALUES ('q-o1', 'q-c1', now(), 'teleported', 'web', now(), 1) ON CONFLICT DO NOTHING");
        // on demand: answered and kept, but the gauges of the published state stay for audits
        given().auth().preemptive().basic("shopflow", "shopflow-dev").contentType(ContentType.JSON)
                .body("{\"layer\":\"staging\",\"scope\":{}}").when().post("/api/v1/check-runs").then().statusCode(200)
                .body("results.find { it.check == 'staging_orders_status_values' }.status", equalTo("failed"));
        given().when().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.not(containsString("shopflow_quality_failed_rows{check=\"staging_orders_status_values\"")));
        given().auth().preemptive().basic("shopflow", "shopflow-dev").contentType(ContentType.JSON)
                .body("{\"layer\":\"staging\",\"scope\":{\"trigger\":\"audit\"}}")
                .when().post("/api/v1/check-runs")
                .then().statusCode(200)
                .body("results.find { it.check == 'staging_orders_status_values' }.status", equalTo("failed"))
                .body("results.find { it.check == 'staging_orders_status_values' }.failing_rows", equalTo(1))
                .body("results.find { it.check == 'staging_orders_status_values' }.sample[0].order_id", equalTo("q-o1"))
                // the customer is missing, but the order is younger than the 2-day grace
                .body("results.find { it.check == 'staging_orders_customer_exists' }.status", equalTo("passed"))
                .body("results.find { it.check == 'staging_orders_unique' }.status", equalTo("passed"))
                .body("passed", equalTo(false));
        given().queryParam("status", "failed").queryParam("check", "staging_orders_status_values")
                .when().get("/api/v1/check-results").then().statusCode(200)
                .body("items[0].sample[0].status", equalTo("teleported"));
        given().when().get("/q/metrics").then()
                .body(containsString("shopflow_quality_check_status{check=\"staging_orders_status_values\",layer=\"staging\",severity=\"error\"} 0.0"))
                .body(containsString("shopflow_quality_failed_rows{check=\"staging_orders_status_values\",layer=\"staging\"} 1.0"));
    }

    @Test
    void shouldNotBlockOnAWarnCheckAndNeverRunAnotherLayersChecks() {
        given().auth().preemptive().basic("shopflow", "shopflow-dev").contentType(ContentType.JSON)
                .body("{\"layer\":\"marts\",\"scope\":{\"version\":999}}")
                .when().post("/api/v1/check-runs")
                .then().statusCode(200)
                .body("results.check", not(hasItem("staging_orders_status_values")))
                // no version 999 and nothing published: every mart check passes but freshness (warn) fails
                .body("results.find { it.check == 'marts_published_recently' }.status", equalTo("failed"))
                .body("results.find { it.check == 'mart_daily_sales_revenue_reconciles_with_facts' }.status", equalTo("passed"))
                .body("passed", equalTo(true));
    }

    @Test
    void shouldExposeDataFreshnessPerLayer() throws Exception {
        sql(dataSource, "INSERT INTO pipeline.batch (batch_id, entity, idempotency_key, status, received, loaded, quarantined, "
                + "unknown_fields, content_type, body_bytes, received_at, loaded_at) VALUES (gen_random_uuid(), 'orders', "
                + "'fresh-1', 'loaded', 0, 0, 0, 0, 'text/csv', 0, now() - interval '1 hour', now() - interval '1 hour')");
        freshness.refresh();
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(metrics).contains("shopflow_data_freshness_seconds{layer=\"marts\"} NaN");
        double staging = Double.parseDouble(metrics.lines().filter(l -> l.startsWith("shopflow_data_freshness_seconds{layer=\"staging\"}"))
                .findFirst().orElseThrow().split(" ")[1]);
        org.assertj.core.api.Assertions.assertThat(staging).isBetween(3500.0, 3700.0);
    }

    @Test
    void shouldRefuseAnUnknownLayerAndAnAnonymousRun() {
        given().auth().preemptive().basic("shopflow", "shopflow-dev").contentType(ContentType.JSON)
                .body("{\"layer\":\"lake\"}").when().post("/api/v1/check-runs")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("layer"));
        given().contentType(ContentType.JSON).body("{\"layer\":\"staging\"}").when().post("/api/v1/check-runs")
                .then().statusCode(401).contentType("application/problem+json");
        given().queryParam("status", "weird").when().get("/api/v1/check-results").then().statusCode(400);
    }

    @Test
    void shouldListTheDeclaredChecks() {
        given().when().get("/api/v1/checks").then().statusCode(200)
                .body("items.kind", hasItem("volume_anomaly")).body("items.kind", hasItem("reconciliation"))
                .body("items.kind", hasItem("relationships")).body("items.kind", hasItem("freshness"));
    }

    /** An on-demand marts run without a version checks the published one, instead of erroring on every versioned check. */
    @Test
    void shouldCheckThePublishedVersionWhenAnOnDemandRunNamesNone() throws Exception {
        // published long ago: the freshness checks of the other tests still see no recent publish
        sql(dataSource, "INSERT INTO pipeline.transform_run (run_id, kind, status, started_at) "
                        + "VALUES (9001, 'incremental', 'succeeded', '2020-01-01') ON CONFLICT DO NOTHING",
                "INSERT INTO pipeline.published_version (version, run_id, published_at) VALUES (9001, 9001, '2020-01-01') "
                        + "ON CONFLICT DO NOTHING");
        try {
            given().auth().preemptive().basic("shopflow", "shopflow-dev").contentType(ContentType.JSON)
                    .body("{\"layer\":\"marts\",\"scope\":{}}").when().post("/api/v1/check-runs").then().statusCode(200)
                    .body("scope.version", equalTo(9001)).body("scope.version_defaulted", equalTo(true))
                    .body("results.findAll { it.status == 'error' }.size()", equalTo(0));
        } finally {
            sql(dataSource, "DELETE FROM pipeline.published_version WHERE version = 9001",
                    "DELETE FROM pipeline.transform_run WHERE run_id = 9001");
        }
    }
}
