package dev.shopflow.transform.persistence;

import static dev.shopflow.common.testing.Sql.one;
import static dev.shopflow.common.testing.Sql.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SCD2 dimensions and the as-of resolution of facts, on the real ingestion and transform schemas. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service"),
                @ResourceArg(name = "database-of", value = "WarehouseBuildTests")})
class WarehouseBuildTests {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WarehouseBuilder warehouse;

    void build() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            warehouse.createCoreViews(c);
            c.setAutoCommit(false);
            warehouse.scope(c, 0, WarehouseBuilder.Scope.everything());
            warehouse.buildDimensions(c);
            warehouse.buildFacts(c, 0, WarehouseBuilder.Scope.everything());
            long version = warehouse.nextVersion(c, 0);
            c.commit();
            try (Connection second = dataSource.getConnection()) {
                warehouse.buildFullMartsInParallel(c, second, version, Runnable::run);
            }
        }
    }

    @BeforeEach
    void staging() throws Exception {
        sql(dataSource, "TRUNCATE staging.orders, staging.order_items, staging.product_versions, staging.customer_versions",
                // a product that changes category on 2025-03-01 12:00, a customer who moves on 2025-02-15
                "INSERT INTO staging.product_versions (product_id, name, category, unit_price, updated_at, batch_seq) VALUES "
                        + "('p1', 'Kite', 'books', 10, '2025-01-01T00:00Z', 1), ('p1', 'Kite', 'toys', 12, '2025-03-01T12:00Z', 2)",
                "INSERT INTO staging.customer_versions (customer_id, email, first_name, last_name, city, country, signup_at, "
                        + "updated_at, batch_seq) VALUES ('c1', 'a@b.co', 'A', 'B', 'Leeds', 'GB', '2025-01-01Z', '2025-01-01Z', 1), "
                        + "('c1', 'a@b.co', 'A', 'B', 'York', 'GB', '2025-01-01Z', '2025-02-15T00:00Z', 2)",
                "INSERT INTO staging.orders (order_id, customer_id, order_ts, status, channel, updated_at, batch_seq) VALUES "
                        + "('o-before-first', 'c1', '2024-06-01T10:00Z', 'paid', 'web', now(), 1), "
                        + "('o-feb', 'c1', '2025-02-01T10:00Z', 'paid', 'web', now(), 1), "
                        + "('o-just-before', 'c1', '2025-03-01T11:59:59Z', 'paid', 'web', now(), 1), "
                        + "('o-at-change', 'c1', '2025-03-01T12:00Z', 'paid', 'web', now(), 1), "
                        + "('o-late-night', 'c-late', '2025-03-01T23:30:00-05:00', 'delivered', 'web', now(), 1)",
                "INSERT INTO staging.order_items (order_id, line_number, product_id, quantity, unit_price, discount, batch_seq) "
                        + "VALUES ('o-before-first', 1, 'p1', 1, 10, 0, 1), ('o-feb', 1, 'p1', 1, 10, 0, 1), "
                        + "('o-just-before', 1, 'p1', 1, 10, 0, 1), ('o-at-change', 1, 'p1', 1, 12, 0, 1), "
                        + "('o-late-night', 1, 'p-late', 2, 5, 1, 1)");
    }

    @Test
    void shouldResolveEachLineToTheProductVersionValidAtItsOrderTime() throws Exception {
        build();
        assertThat(one(dataSource, "SELECT string_agg(order_id || '=' || category, ',' ORDER BY order_ts) FROM warehouse.fact_order_line "
                + "WHERE product_id = 'p1'")).isEqualTo("o-before-first=books,o-feb=books,o-just-before=books,o-at-change=toys");
        // the first version is valid from the beginning of time, the last until the end
        assertThat(one(dataSource, "SELECT string_agg(valid_from || '..' || valid_to || ':' || is_current, ',' ORDER BY valid_from) "
                + "FROM warehouse.dim_product WHERE product_id = 'p1'"))
                .isEqualTo("-infinity..2025-03-01 12:00:00+00:false,2025-03-01 12:00:00+00..infinity:true");
        assertThat(one(dataSource, "SELECT string_agg(f.order_id || '=' || d.city, ',' ORDER BY f.order_ts) FROM warehouse.fact_order_line f "
                + "JOIN warehouse.dim_customer d USING (customer_sk) WHERE f.customer_id = 'c1'"))
                .isEqualTo("o-before-first=Leeds,o-feb=Leeds,o-just-before=York,o-at-change=York");
    }

    @Test
    void shouldUseTheUnknownMemberUntilALateCustomerOrProductArrivesThenRepointTheFacts() throws Exception {
        build();
        assertThat(one(dataSource, "SELECT customer_sk || '/' || product_sk || '/' || category FROM warehouse.fact_order_line "
                + "WHERE order_id = 'o-late-night'")).isEqualTo("0/0/unknown");
        sql(dataSource, "INSERT INTO staging.product_versions (product_id, name, category, unit_price, updated_at, batch_seq) VALUES "
                        + "('p-late', 'Late', 'garden', 5, '2025-06-01T00:00Z', 3)",
                "INSERT INTO staging.customer_versions (customer_id, email, first_name, last_name, city, country, signup_at, "
                        + "updated_at, batch_seq) VALUES ('c-late', 'l@b.co', 'L', 'T', 'Lyon', 'FR', '2025-05-01Z', '2025-05-01Z', 3)");
        build();
        // a late first version is valid from the beginning of time, so it covers the earlier order
        assertThat(one(dataSource, "SELECT (customer_sk > 0) || '/' || (product_sk > 0) || '/' || category FROM warehouse.fact_order_line "
                + "WHERE order_id = 'o-late-night'")).isEqualTo("true/true/garden");
    }

    @Test
    void shouldDateAnOrderByItsUtcDay() throws Exception {
        build();
        // 23:30 at -05:00 is 04:30 the next day in UTC
        assertThat(one(dataSource, "SELECT order_date FROM warehouse.fact_order_line WHERE order_id = 'o-late-night'")).isEqualTo("2025-03-02");
        assertThat(one(dataSource, "SELECT revenue FROM warehouse.fact_order_line WHERE order_id = 'o-late-night'")).isEqualTo("9.00");
    }

    @Test
    void shouldKnowIsoWeeksStartingOnMonday() throws Exception {
        assertThat(one(dataSource, "SELECT week_start || ' ' || day_of_week || ' ' || is_weekend || ' ' || iso_week "
                + "FROM warehouse.dim_date WHERE date = '2025-03-09'")).isEqualTo("2025-03-03 7 true 10");
        assertThat(one(dataSource, "SELECT iso_year || '-' || iso_week FROM warehouse.dim_date WHERE date = '2024-12-30'")).isEqualTo("2025-1");
        assertThat(one(dataSource, "SELECT count(*) FROM warehouse.dim_date")).isEqualTo("18628");
    }
}
