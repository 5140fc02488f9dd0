package dev.shopflow.ingestion.service;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.value;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static dev.shopflow.ingestion.service.CaptureShopSource.shop;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Change data capture against a real second PostgreSQL with logical replication ({@link CaptureShopSource}),
 * Debezium's engine reading its slot: the full read before the changes, an insert, a status change, a
 * price change, a late change to an old order and a change to a joined table reaching staging through
 * the mappings; a delete; a restart that resumes from the stored offsets with nothing loaded twice; and
 * a dropped slot that fails loudly until a full read starts the capture again.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = CaptureShopSource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaptureSourceTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SourceCaptures captures;

    @Test
    @Order(1)
    void aFirstCaptureReadsEverythingThroughTheMappingsThenFollowsTheSlot() throws Exception {
        await("the full read", () -> count(dataSource, "SELECT count(*) FROM staging.orders WHERE order_id LIKE 'O-10%'") == 4);
        await("streaming", () -> "streaming".equals(status().getString("state")));
        assertThat(value(dataSource, "SELECT category FROM staging.products WHERE product_id = 'SKU-2'")).isEqualTo("books");
        JsonPath run = given().get("/api/v1/source-runs?source=shopcdc").then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("items[0].status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getBoolean("items[0].full")).isTrue();
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.source_offset WHERE source = 'shopcdc'"))
                .as("no offsets before the first change").isZero();
    }

    @Test
    @Order(2)
    void anInsertAStatusChangeAPriceChangeAndALateChangeReachStaging() throws Exception {
        shop("INSERT INTO shop.purchase VALUES (104, 2, '2025-03-05 09:00', '2025-03-05 09:01', NULL, NULL, NULL, 'web', now())",
                "INSERT INTO shop.purchase_line VALUES (104, 1, 'SKU-2', 2, 25.00, 0, now())",
                "INSERT INTO shop.installment VALUES (104, 1, 'credit_card', 50.00, '2025-03-05 09:01', now())");
        await("the inserted order", () -> count(dataSource, "SELECT count(*) FROM staging.orders WHERE order_id = 'O-104'") == 1);
        await("its line and payment", () -> count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id = 'O-104'") == 1
                && count(dataSource, "SELECT count(*) FROM staging.payments WHERE order_id = 'O-104'") == 1);
        assertThat(value(dataSource, "SELECT status FROM staging.orders WHERE order_id = 'O-104'")).isEqualTo("paid");

        shop("UPDATE shop.purchase SET shipped = '2025-03-06 08:00', modified = now() WHERE purchase_no = 104");
        await("the status change", () -> "shipped".equals(value(dataSource, "SELECT status FROM staging.orders WHERE order_id = 'O-104'")));

        shop("UPDATE shop.item SET price = 12.50, modified = now() WHERE sku = 'SKU-1'");
        await("the price change", () -> "12.50".equals(value(dataSource,
                "SELECT unit_price::text FROM staging.products WHERE product_id = 'SKU-1'")));

        // a late change: an order of the first days gets a second unit on its line
        shop("UPDATE shop.purchase_line SET qty = 2, modified = now() WHERE purchase_no = 101 AND line_no = 1");
        await("the late change", () -> "2".equals(value(dataSource,
                "SELECT quantity::text FROM staging.order_items WHERE order_id = 'O-101' AND line_number = 1")));

        // a change in a joined table reads the mapping's row again: the translation renames a category (the
        // mapping's updated_at is the newest of its rows' times, so the renamed product is a new version)
        shop("UPDATE shop.category_translation SET category = 'kids', modified = now() WHERE kategorie = 'Spielzeug'");
        await("the joined table's change", () -> "kids".equals(value(dataSource,
                "SELECT category FROM staging.products WHERE product_id = 'SKU-1'")));

        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch WHERE idempotency_key LIKE 'cdc:shopcdc:orders:%'"))
                .isPositive();
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.source_offset WHERE source = 'shopcdc'"))
                .as("offsets written after the loads").isPositive();
        assertThat(status().getLong("changes")).isGreaterThanOrEqualTo(7);
    }

    @Test
    @Order(3)
    void aDeleteInTheSourceKeepsTheRecordsLastVersion() throws Exception {
        long before = status().getLong("deletes");
        shop("DELETE FROM shop.installment WHERE purchase_no = 104");
        await("the delete seen", () -> status().getLong("deletes") > before);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.payments WHERE payment_id = 'PAY-104-1'"))
                .as("docs/sources.md: a source's delete is not a delete in ShopFlow").isEqualTo(1);
    }

    @Test
    @Order(4)
    void aRestartResumesFromTheStoredOffsetsWithNothingLoadedTwice() throws Exception {
        long batches = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        long received = count(dataSource, "SELECT coalesce(sum(received), 0) FROM pipeline.batch");
        captures.restart("shopcdc");
        // committed while the engine restarts: kept by the slot, read after the resume
        shop("UPDATE shop.purchase SET delivered = '2025-03-07 08:00', modified = now() WHERE purchase_no = 104");
        await("the change made during the restart", () -> "delivered".equals(value(dataSource,
                "SELECT status FROM staging.orders WHERE order_id = 'O-104'")));
        await("streaming again", () -> "streaming".equals(status().getString("state")));
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).as("one batch: the delivered order, nothing else again")
                .isEqualTo(batches + 1);
        assertThat(count(dataSource, "SELECT coalesce(sum(received), 0) FROM pipeline.batch")).isEqualTo(received + 1);
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.source_run WHERE source = 'shopcdc' AND full_read"))
                .as("no second full read: the offsets were there").isEqualTo(1);
    }

    @Test
    @Order(5)
    void aDroppedSlotFailsLoudlyUntilAFullReadStartsTheCaptureAgain() throws Exception {
        long failed = count(dataSource, "SELECT count(*) FROM pipeline.source_run WHERE source = 'shopcdc' AND status = 'failed'");
        // the slot is dropped under the capture (a DBA's cleanup, a failover without slots)
        shop("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'shopflow_shopcdc' AND active");
        Thread.sleep(100);
        dropSlot();
        shop("UPDATE shop.purchase SET channel = 'mobile', modified = now() WHERE purchase_no = 103");
        await("a failed run", () -> count(dataSource,
                "SELECT count(*) FROM pipeline.source_run WHERE source = 'shopcdc' AND status = 'failed'") > failed);
        Object error = value(dataSource, "SELECT errors->>0 FROM pipeline.source_run WHERE source = 'shopcdc' AND status = 'failed' "
                + "ORDER BY run_id DESC LIMIT 1");
        assertThat(String.valueOf(error)).as("the connector's own words on the lost position").containsIgnoringCase("slot");
        assertThat(value(dataSource, "SELECT channel FROM staging.orders WHERE order_id = 'O-103'"))
                .as("the change after the gap is not loaded as if nothing was lost").isEqualTo("marketplace");

        // the recovery: a full read from a new slot
        await("holding the capture", () -> !status().getString("state").equals("standby"));
        long runId = authorized().post("/api/v1/sources/shopcdc/runs?full=true").then().statusCode(202).extract().jsonPath()
                .getLong("run_id");
        await("the full read", () -> "succeeded".equals(given().get("/api/v1/source-runs/" + runId).then().extract().jsonPath()
                .getString("status")));
        assertThat(value(dataSource, "SELECT channel FROM staging.orders WHERE order_id = 'O-103'")).isEqualTo("mobile");
        await("streaming again", () -> "streaming".equals(status().getString("state")));
        shop("UPDATE shop.purchase SET cancelled = '2025-03-08 08:00', modified = now() WHERE purchase_no = 102");
        await("a change after the recovery", () -> "cancelled".equals(value(dataSource,
                "SELECT status FROM staging.orders WHERE order_id = 'O-102'")));
    }

    private static void dropSlot() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            try {
                shop("SELECT pg_drop_replication_slot('shopflow_shopcdc')");
                return;
            } catch (SQLException e) {
                // still active for a moment after its walsender ends, or taken again by the engine's retry
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("could not drop the slot: " + e.getMessage(), e);
                }
                try {
                    shop("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'shopflow_shopcdc' AND active");
                } catch (SQLException ignored) {
                    // the next try says
                }
                Thread.sleep(50);
            }
        }
    }

    private static JsonPath status() {
        return given().get("/api/v1/sources").then().statusCode(200).extract().jsonPath()
                .setRootPath("items.find { it.name == 'shopcdc' }.capture");
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; capture: " + given().get("/api/v1/sources").asString());
    }
}
