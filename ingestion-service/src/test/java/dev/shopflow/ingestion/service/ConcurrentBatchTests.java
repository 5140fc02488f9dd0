package dev.shopflow.ingestion.service;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.one;
import static dev.shopflow.ingestion.Fixtures.authorized;
import static dev.shopflow.ingestion.Fixtures.customer;
import static dev.shopflow.ingestion.Fixtures.item;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.ingestion.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Batches of the same keys arriving at once, in shuffled order: versions and batch order still decide. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ConcurrentBatchTests {

    static final int BATCHES = 8;
    static final int KEYS = 200;

    @Inject
    AgroalDataSource dataSource;

    static <T> List<T> runConcurrently(List<Callable<T>> posts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(BATCHES);
        try {
            List<Future<T>> futures = pool.invokeAll(posts);
            List<T> statuses = new ArrayList<>();
            for (Future<T> f : futures) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void shouldKeepTheNewestVersionOfEveryKeyWhenVersionsArriveConcurrentlyInAnyOrder() throws Exception {
        List<Integer> versions = new ArrayList<>();
        for (int v = 1; v <= BATCHES; v++) {
            versions.add(v);
        }
        Collections.shuffle(versions, new Random(42));
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int v : versions) {
            StringBuilder body = new StringBuilder();
            for (int k = 0; k < KEYS; k++) {
                body.append(customer("cc-" + k, "v" + v + "@example.com", "2025-01-0" + v + "T00:00:00Z")).append('\n');
            }
            posts.add(() -> authorized().contentType(Fixtures.NDJSON).body(body.toString())
                    .post("/api/v1/batches/customers").statusCode());
        }
        assertThat(runConcurrently(posts)).containsOnly(201);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id LIKE 'cc-%'"))
                .isEqualTo(KEYS);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customers WHERE customer_id LIKE 'cc-%' "
                + "AND email = 'v" + BATCHES + "@example.com'")).isEqualTo(KEYS);
        assertThat(count(dataSource, "SELECT count(*) FROM staging.customer_versions WHERE customer_id LIKE 'cc-%'"))
                .isEqualTo((long) KEYS * BATCHES);
    }

    @Test
    void shouldLetTheLastArrivedBatchWinForItemsSentConcurrently() throws Exception {
        List<Callable<String>> posts = new ArrayList<>();
        for (int b = 1; b <= BATCHES; b++) {
            StringBuilder body = new StringBuilder();
            for (int k = 1; k <= KEYS; k++) {
                body.append(item("ci-order", k, b, "1.00")).append('\n');
            }
            posts.add(() -> authorized().contentType(Fixtures.NDJSON).body(body.toString())
                    .post("/api/v1/batches/order_items").then().statusCode(201).extract().path("batch_id"));
        }
        List<String> batchIds = runConcurrently(posts);
        String ids = "'" + String.join("','", batchIds) + "'";
        // every line comes from one batch: the one with the highest arrival sequence of the eight
        assertThat(one(dataSource, "SELECT string_agg(DISTINCT batch_seq::text, ',') FROM staging.order_items "
                + "WHERE order_id = 'ci-order'"))
                .isEqualTo(one(dataSource, "SELECT max(batch_seq)::text FROM pipeline.batch WHERE batch_id IN (" + ids + ")"));
        assertThat(count(dataSource, "SELECT count(*) FROM staging.order_items WHERE order_id = 'ci-order'"))
                .isEqualTo(KEYS);
    }
}
