package dev.shopflow.generator.service;

import static dev.shopflow.common.testing.Sql.one;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.common.wire.RunStatus;
import dev.shopflow.generator.domain.GenerationParams;
import dev.shopflow.generator.domain.GenerationRun;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A run's row through its life, as stored (what SQL readers and the CHECK constraint see) and as answered. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GenerationRunsTests {

    @Inject
    GenerationRuns runs;

    @Inject
    AgroalDataSource db;

    @Test
    void shouldStoreARunFromQueuedToFailedInTheColumnsFormsTheSchemaDocuments() throws Exception {
        UUID id = UUID.randomUUID();
        runs.create(id, new GenerationParams(LocalDate.parse("2025-03-01"), LocalDate.parse("2025-03-02"), 40, 5, 0.1), 2);
        String row = "FROM pipeline.generation_run WHERE run_id = '" + id + "'";
        assertThat(one(db, "SELECT status " + row)).isEqualTo("queued");
        assertThat(one(db, "SELECT params->>'orders_per_day' " + row)).isEqualTo("40");
        assertThat(one(db, "SELECT params->>'defect_rate' " + row)).isEqualTo("0.1");
        assertThat(one(db, "SELECT rows_pushed::text || defects::text " + row)).isEqualTo("{}{}");

        runs.running(id);
        Map<String, Long> rows = new LinkedHashMap<>(Map.of("orders", 40L));
        runs.progress(id, 1, rows, Map.of("bad_email", 3));
        rows.put("orders", 80L); // the caller's map changes on; the stored progress does not
        assertThat(one(db, "SELECT status || ' ' || days_done || ' ' || rows_pushed::text || ' ' || defects::text " + row))
                .isEqualTo("running 1 {\"orders\": 40} {\"bad_email\": 3}");

        runs.finish(id, RunStatus.FAILED, "ingestion refused");
        GenerationRun run = runs.find(id).orElseThrow();
        assertThat(run.status()).isEqualTo("failed");
        assertThat(run.error()).isEqualTo("ingestion refused");
        assertThat(run.finishedAt()).isAfterOrEqualTo(run.createdAt());
        assertThat(run.rowsPushed()).containsExactly(Map.entry("orders", 40L));
        assertThat(run.params().get("from").asText()).isEqualTo("2025-03-01");

        given().when().get("/api/v1/generation-runs/" + id).then().statusCode(200)
                .body("status", equalTo("failed")).body("days_total", equalTo(2)).body("days_done", equalTo(1))
                .body("rows_pushed.orders", equalTo(40)).body("defects.bad_email", equalTo(3))
                .body("params.orders_per_day", equalTo(40)).body("error", equalTo("ingestion refused"));
    }

    @Test
    void shouldAnswerAnUnknownOrMalformedRunIdWithAProblem() {
        given().when().get("/api/v1/generation-runs/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/api/v1/generation-runs/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(runs.find(UUID.randomUUID())).isEmpty();
    }
}
