package dev.shopflow.quality.service;

import static dev.shopflow.common.testing.Sql.count;
import static dev.shopflow.common.testing.Sql.one;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import dev.shopflow.common.wire.Audit;
import dev.shopflow.quality.domain.StoredResult;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Check runs and results as stored: whole or not at all, read back by id and through the history's filters. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CheckHistoryTests {

    @Inject
    CheckHistory history;

    @Inject
    AgroalDataSource db;

    static Audit.CheckResult result(String check, String severity, String status, long failing,
            List<Map<String, Object>> sample) {
        return new Audit.CheckResult(check, "marts", severity, status, failing, sample);
    }

    @Test
    void shouldReadARunBackAsItWasSavedAndFilterTheHistory() throws Exception {
        List<Map<String, Object>> sample = List.of(Map.of("order_id", "h-o1", "revenue", 12.5, "nested", Map.of("n", 1)));
        long runId = history.save("marts", Map.of("version", 7), "failed", Instant.now(), List.of(
                result("h_unique", "error", "passed", 0, List.of()),
                result("h_revenue", "warn", "failed", 3, sample)));

        assertThat(one(db, "SELECT scope::text || ' ' || status FROM quality.check_run WHERE run_id = " + runId))
                .isEqualTo("{\"version\": 7} failed");
        assertThat(one(db, "SELECT sample::text FROM quality.check_result WHERE check_name = 'h_revenue'"))
                .isEqualTo("[{\"nested\": {\"n\": 1}, \"revenue\": 12.5, \"order_id\": \"h-o1\"}]");

        Audit.CheckRunResult run = history.run(runId).orElseThrow();
        // a warn check that failed does not fail the audit
        assertThat(run.passed()).isTrue();
        assertThat(run.results()).extracting(Audit.CheckResult::check).containsExactly("h_revenue", "h_unique");
        assertThat(run.results().get(0).sample()).isEqualTo(sample);
        given().when().get("/api/v1/check-runs/" + runId).then().statusCode(200)
                .body("scope.version", equalTo(7)).body("results[0].sample[0].order_id", equalTo("h-o1"));

        long second = history.save("marts", Map.of(), "failed", Instant.now(), List.of(
                result("h_revenue", "error", "failed", 1, List.of(Map.of("order_id", "h-o2")))));
        assertThat(history.run(second).orElseThrow().passed()).isFalse();
        List<StoredResult> revenue = history.results("failed", "h_revenue", 10);
        assertThat(revenue).extracting(StoredResult::runId).containsExactly(second, runId);
        assertThat(history.results(null, "h_revenue", 1)).extracting(StoredResult::runId).containsExactly(second);
        assertThat(history.results("passed", "h_revenue", 10)).isEmpty();
        assertThat(history.results("passed", null, 100)).extracting(StoredResult::check).contains("h_unique");
    }

    @Test
    void shouldSaveNothingOfARunWhenOneResultCannotBeStored() throws Exception {
        long before = count(db, "SELECT count(*) FROM quality.check_run");
        // 'fatal' breaks the severity CHECK constraint: the run row written before it must go too
        assertThatThrownBy(() -> history.save("marts", Map.of(), "failed", Instant.now(), List.of(
                result("h_ok", "error", "passed", 0, List.of()), result("h_bad", "fatal", "failed", 1, List.of()))))
                .isInstanceOf(RuntimeException.class);
        assertThat(count(db, "SELECT count(*) FROM quality.check_run")).isEqualTo(before);
        assertThat(count(db, "SELECT count(*) FROM quality.check_result WHERE check_name IN ('h_ok', 'h_bad')")).isZero();
    }

    @Test
    void shouldAnswerAnUnknownOrMalformedRunWithAProblem() {
        assertThat(history.run(987654L)).isEmpty();
        given().when().get("/api/v1/check-runs/987654").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/check-runs/abc").then().statusCode(404).contentType("application/problem+json");
    }
}
