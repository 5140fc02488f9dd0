package dev.shopflow.ingestion.service;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.value;
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
 * The shop of {@link SourceRunsTests} in a real MariaDB: the same rows land in staging as from the
 * PostgreSQL source (the same records), and an incremental run reads only what changed.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = MariaDbShopSource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class MariaDbSourceTests {

    @Inject
    AgroalDataSource dataSource;

    static JsonPath runToEnd(boolean full) throws Exception {
        return SourceRunsClient.runToEnd("shopmaria", full);
    }

    @Test
    void theShopInMariaDbLoadsTheSameRecordsAndFollowsItsChanges() throws Exception {
        MariaDbShopSource.shop(ShopSourceDatabase.SEED);
        JsonPath run = runToEnd(false);
        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getInt("entities.orders.rows")).isEqualTo(4);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id IN ('P-1', 'P-2')")).isEqualTo(2);
        assertThat(value(dataSource, "SELECT category FROM staging.products WHERE product_id = 'SKU-2'")).isEqualTo("books");
        assertThat(value(dataSource, "SELECT to_char(order_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM staging.orders "
                + "WHERE order_id = 'O-100'")).isEqualTo("2025-03-01 09:00");
        assertThat((BigDecimal) value(dataSource, "SELECT sum(amount) FROM staging.payments")).isEqualByComparingTo("40.00");
        assertThat((BigDecimal) value(dataSource, "SELECT sum(quantity * unit_price - discount) FROM staging.order_items"))
                .isEqualByComparingTo("105.00");
        assertThat(value(dataSource, "SELECT cursor_value FROM pipeline.source_cursor WHERE source = 'shopmaria' AND entity = 'orders'"))
                .isEqualTo("2025-03-04T11:01:00Z");

        MariaDbShopSource.shop("UPDATE purchase SET delivered = '2025-03-05 09:00', modified = '2025-03-05 09:00' WHERE purchase_no = 101");
        JsonPath changed = runToEnd(false);
        assertThat(changed.getInt("entities.orders.rows")).isEqualTo(1);
        assertThat(changed.getInt("entities.customers.rows")).isZero();
        assertThat(value(dataSource, "SELECT status FROM staging.orders WHERE order_id = 'O-101'")).isEqualTo("delivered");

        long batches = count(dataSource, "SELECT count(*) FROM pipeline.batch");
        JsonPath again = runToEnd(false);
        assertThat(again.getInt("entities.orders.rows")).isZero();
        assertThat(count(dataSource, "SELECT count(*) FROM pipeline.batch")).isEqualTo(batches);
    }
}
