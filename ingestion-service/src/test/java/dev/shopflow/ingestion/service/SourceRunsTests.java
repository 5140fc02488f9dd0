package dev.shopflow.ingestion.service;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.value;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static dev.shopflow.ingestion.service.ShopSourceDatabase.shop;
import static dev.shopflow.ingestion.service.SourceRunsClient.runToEnd;
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
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sources against a real second PostgreSQL with a shop schema that is not ShopFlow's
 * ({@link ShopSourceDatabase}): a full read through the mappings, incremental runs that read only
 * what changed, repeats that load nothing twice, a row that breaks a rule quarantined with its reason,
 * the dry run, a refused source beside the good one, and an unreachable source failing with its text.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = ShopSourceDatabase.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceRunsTests {

    @Inject
    AgroalDataSource dataSource;

    static void seed() throws Exception {
        shop(ShopSourceDatabase.SEED);
    }

    @Test
    @Order(1)
    void aFullReadLoadsEveryEntityThroughItsMappingAsPushedBatchesAre() throws Exception {
        seed();
        JsonPath run = runToEnd("shopdb", false);
        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getInt("entities.orders.rows")).isEqualTo(4);
        assertThat(run.getInt("entities.orders.batches")).as("3 rows a batch").isEqualTo(2);
        assertThat(run.getInt("entities.payments.loaded")).isEqualTo(3);

        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id IN ('P-1', 'P-2')")).isEqualTo(2);
        assertThat(value(dataSource, "SELECT category FROM staging.products WHERE product_id = 'SKU-2'"))
                .as("translated through the shop's own table").isEqualTo("books");
        // local Berlin time, no zone in the source: 10:00 on 2025-03-01 is 09:00 UTC
        assertThat(value(dataSource, "SELECT to_char(order_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM staging.orders "
                + "WHERE order_id = 'O-100'")).isEqualTo("2025-03-01 09:00");
        assertThat(value(dataSource, "SELECT status FROM staging.orders WHERE order_id = 'O-101'")).isEqualTo("shipped");
        assertThat(count(dataSource, "SELECT count(*) FROM staging.payments WHERE order_id = 'O-100'"))
                .as("installments are payments").isEqualTo(2);
        // the batches are ledger batches like any other, keyed by the source
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE 'src:shopdb:orders:%'")).isEqualTo(2);
        assertThat(value(dataSource, "SELECT cursor_value FROM pipeline.source_cursor WHERE source = 'shopdb' AND entity = 'orders'"))
                .isEqualTo("2025-03-04T11:01:00Z");
        given().get("/api/v1/sources").then().statusCode(200)
                .body("items.find { it.name == 'shopdb' }.entities.find { it.entity == 'orders' }.cursor", equalTo("2025-03-04T11:01:00Z"))
                .body("items.find { it.name == 'shopdb' }.last_run.status", equalTo("succeeded"));
    }

    @Test
    @Order(2)
    void anIncrementalRunReadsOnlyWhatChangedAndARepeatLoadsNothingTwice() throws Exception {
        long batches = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        JsonPath nothing = runToEnd("shopdb", false);
        assertThat(nothing.getInt("entities.orders.rows")).as("nothing past the cursor").isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(batches);

        // the shop delivers one order and takes a new one
        shop("UPDATE shop.purchase SET delivered = '2025-03-05 09:00', modified = '2025-03-05 09:00' WHERE purchase_no = 101",
                "INSERT INTO shop.purchase VALUES (104, 1, '2025-03-05 10:00', NULL, NULL, NULL, NULL, 'web', '2025-03-05 10:00')");
        JsonPath changed = runToEnd("shopdb", false);
        assertThat(changed.getInt("entities.orders.rows")).isEqualTo(2);
        assertThat(changed.getString("entities.orders.cursor_before")).isEqualTo("2025-03-04T11:01:00Z");
        assertThat(value(dataSource, "SELECT status FROM staging.orders WHERE order_id = 'O-101'")).isEqualTo("delivered");
        assertThat(count(dataSource, "SELECT count(*) FROM staging.orders WHERE order_id = 'O-104'")).isEqualTo(1);

        // everything again: the same windows give the same bodies, answered as replays
        long before = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        JsonPath full = runToEnd("shopdb", true);
        assertThat(full.getString("status")).isEqualTo("succeeded");
        assertThat(full.getInt("entities.orders.rows")).isEqualTo(5);
        long customersBatchesAfter = count(dataSource, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE 'src:shopdb:customers:%'");
        assertThat(customersBatchesAfter).as("unchanged customers: the same body, a replay").isEqualTo(1);
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).as("only the changed order windows are new")
                .isLessThanOrEqualTo(before + 2);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.orders WHERE order_id LIKE 'O-10_'")).isEqualTo(5);
    }

    @Test
    @Order(3)
    void aSourceRowThatBreaksARuleIsQuarantinedWithItsReasonAndItsBatchNamesTheSource() throws Exception {
        shop("INSERT INTO shop.person VALUES (3, 'not-an-email', 'Eve', 'X', '2025-03-06 09:00', '2025-03-06 09:00')",
                "INSERT INTO shop.address VALUES (3, 'Paris', NULL, 'fr')");
        JsonPath run = runToEnd("shopdb", false);
        assertThat(run.getInt("entities.customers.quarantined")).isEqualTo(1);
        given().queryParam("entity", "customers").get("/api/v1/quarantine").then().statusCode(200)
                .body("items.find { it.original_line.contains('P-3') }.reasons.rule", hasItem("email"));
        assertThat(value(dataSource, "SELECT b.idempotency_key FROM quarantine.rejected_row q JOIN pipeline.batch b USING (batch_id) "
                + "WHERE q.original_line LIKE '%P-3%'").toString()).startsWith("src:shopdb:customers:");
    }

    @Test
    @Order(4)
    void theDryRunShowsTheFirstRecordsOfEachMappingWithWhatValidationSays() {
        authorized().queryParam("rows", 10).post("/api/v1/sources/shopdb/check").then().statusCode(200)
                .body("entities.customers.missing_required.size()", equalTo(0))
                .body("entities.customers.rows.find { it.record.customer_id == 'P-3' }.valid", equalTo(false))
                .body("entities.customers.rows.find { it.record.customer_id == 'P-3' }.reasons.rule", hasItem("email"))
                .body("entities.products.rows.find { it.record.product_id == 'SKU-1' }.record.category", equalTo("toys"))
                .body("entities.orders.rows[0].valid", equalTo(true));
    }

    @Test
    @Order(5)
    void aBrokenSourceIsRefusedWithAMessageAndTheOthersAreServed() {
        given().get("/api/v1/sources").then().statusCode(200)
                .body("items.name", hasItem("shopdb"))
                .body("refused[0]", containsString("source 'broken'"))
                .body("refused[0]", containsString("entity 'widgets' is unknown"))
                .body("refused[0]", containsString("field 'password'"))
                .body("refused[0]", containsString("entity 'orders': field 'cursor'"))
                // planned on the source as the file loads: a required field the mapping does not give
                .body("refused[1]", containsString("source 'incomplete'"))
                .body("refused[1]", containsString("entity 'customers': the mapping gives no column email, last_name"));
        authorized().post("/api/v1/sources/broken/runs").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("refused"));
    }

    @Test
    @Order(6)
    void anUnreachableSourceFailsWithItsErrorTextAndNothingMoves() throws Exception {
        JsonPath run = runToEnd("unreachable", false);
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("errors[0]")).containsIgnoringCase("connection");
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.source_cursor WHERE source = 'unreachable'")).isZero();
        given().get("/q/metrics").then().body(containsString("shopflow_source_runs_total{source=\"unreachable\",status=\"failed\"}"));
        given().get("/api/v1/sources").then().body("items.find { it.name == 'unreachable' }.failures_in_a_row", equalTo(1));
    }

    @Test
    @Order(7)
    void aMappingThatLacksARequiredFieldFailsTheRunNamingSourceEntityAndField() throws Exception {
        // the shop renames a column the mapping reads: the run fails with the database's own message
        shop("ALTER TABLE shop.item RENAME COLUMN title TO item_title");
        JsonPath run = runToEnd("shopdb", true);
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("errors[0]")).contains("title");
        shop("ALTER TABLE shop.item RENAME COLUMN item_title TO title");
    }

    /**
     * A run that breaks half-way (here: a row whose cursor is null, read last) keeps what it loaded and
     * its cursor where the last loaded batch left it; once the source is repaired the next run loads the
     * rest, and nothing twice. (What a killed service or a source that goes away mid-run leaves too: the
     * cursor moves only in the transaction of the batch it covers.)
     */
    @Test
    @Order(8)
    void aRunThatBreaksHalfWayKeepsItsBatchesAndTheNextLoadsTheRestOnce() throws Exception {
        shop("INSERT INTO shop.person SELECT 100 + k, 'p' || k || '@example.com', 'P', 'K' || k, '2025-04-01 09:00', "
                        + "'2025-04-01 09:00'::timestamp + k * interval '1 minute' FROM generate_series(1, 7) k",
                "ALTER TABLE shop.person ALTER COLUMN modified DROP NOT NULL",
                "INSERT INTO shop.person VALUES (108, 'late@example.com', 'L', 'Late', '2025-04-01 09:00', NULL)",
                "INSERT INTO shop.address SELECT 100 + k, 'Leeds', NULL, 'gb' FROM generate_series(1, 8) k");
        JsonPath broken = runToEnd("shopdb", false);
        assertThat(broken.getString("status")).isEqualTo("failed");
        assertThat(broken.getString("errors[0]")).contains("cursor column updated_at is null");
        // two full batches of 3 were loaded before the bad row; the seventh row, not yet in a loaded batch,
        // was not: the cursor is at the last row loaded
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id BETWEEN 'P-101' AND 'P-107'")).isEqualTo(6);
        assertThat(value(dataSource, "SELECT cursor_value FROM pipeline.source_cursor WHERE source = 'shopdb' AND entity = 'customers'"))
                .isEqualTo("2025-04-01T07:06:00Z");
        long batches = count(dataSource, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE 'src:shopdb:customers:%'");

        shop("UPDATE shop.person SET modified = '2025-04-02 09:00' WHERE person_id = 108");
        JsonPath repaired = runToEnd("shopdb", false);
        assertThat(repaired.getString("status")).isEqualTo("succeeded");
        assertThat(repaired.getInt("entities.customers.rows")).as("the row not loaded and the repaired one").isEqualTo(2);
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE 'src:shopdb:customers:%'"))
                .isEqualTo(batches + 1);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id IN ('P-107', 'P-108')")).isEqualTo(2);
    }

    /** A source column of an unexpected type (text where a quantity is a number) is quarantined with its reason. */
    @Test
    @Order(9)
    void aColumnOfAnUnexpectedTypeIsQuarantinedWithItsReason() throws Exception {
        shop("ALTER TABLE shop.purchase_line ALTER COLUMN qty TYPE text",
                "INSERT INTO shop.purchase_line VALUES (103, 3, 'SKU-1', 'three', 10.00, 0, '2025-04-05 12:00')");
        JsonPath run = runToEnd("shopdb", false);
        assertThat(run.getString("status")).isEqualTo("succeeded");
        assertThat(run.getInt("entities.order_items.quarantined")).isEqualTo(1);
        given().queryParam("entity", "order_items").get("/api/v1/quarantine").then().statusCode(200)
                .body("items.find { it.original_line.contains('three') }.reasons.field", hasItem("quantity"));
    }
}
