package dev.shopflow.ingestion.service;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.value;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The shop of {@link SourceRunsTests} as a folder of exports (CSV, NDJSON, Parquet) read through
 * DuckDB: the same records land in staging; a new export file is read by the next run, nothing twice.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = FilesShopSource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FilesSourceTests {

    @Inject
    AgroalDataSource dataSource;

    static JsonPath runToEnd() throws Exception {
        return SourceRunsClient.runToEnd("exports", false);
    }

    @Test
    void aFolderOfExportsLoadsTheSameRecordsAndANewFileIsReadNext() throws Exception {
        JsonPath run = runToEnd();
        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getInt("entities.orders.rows")).isEqualTo(4);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id IN ('P-1', 'P-2')")).isEqualTo(2);
        assertThat(value(dataSource, "SELECT category FROM staging.products WHERE product_id = 'SKU-2'")).isEqualTo("books");
        assertThat(value(dataSource, "SELECT to_char(order_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM staging.orders "
                + "WHERE order_id = 'O-100'")).isEqualTo("2025-03-01 09:00");
        assertThat(value(dataSource, "SELECT status FROM staging.orders WHERE order_id = 'O-101'")).isEqualTo("shipped");
        assertThat((BigDecimal) value(dataSource, "SELECT sum(amount) FROM staging.payments")).isEqualByComparingTo("40.00");
        assertThat((BigDecimal) value(dataSource, "SELECT sum(quantity * unit_price - discount) FROM staging.order_items"))
                .isEqualByComparingTo("105.00");

        // the next day's export: one delivery, one new order
        FilesShopSource.write("purchase-2025-03-05.csv", """
                purchase_no,person_id,placed,paid,shipped,delivered,cancelled,channel,modified
                101,1,2025-03-02 10:00:00,2025-03-02 10:05:00,2025-03-03 08:00:00,2025-03-05 09:00:00,,mobile,2025-03-05 09:00:00
                104,1,2025-03-05 10:00:00,,,,,web,2025-03-05 10:00:00
                """);
        long batches = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        JsonPath next = runToEnd();
        assertThat(next.getInt("entities.orders.rows")).isEqualTo(2);
        assertThat(next.getInt("entities.customers.rows")).isZero();
        assertThat(value(dataSource, "SELECT status FROM staging.orders WHERE order_id = 'O-101'")).isEqualTo("delivered");
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(batches + 1);
    }

    @Test
    void theDryRunReadsTheParquetExportToo() throws Exception {
        // the dry run reports the failure instead of loading
        authorized().post("/api/v1/sources/exports/check").then().statusCode(200)
                .body("entities.payments.rows[0].record.method", org.hamcrest.Matchers.equalTo("paypal"));
    }
}
