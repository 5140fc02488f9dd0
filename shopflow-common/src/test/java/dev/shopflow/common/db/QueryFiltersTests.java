package dev.shopflow.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the filters a client gave become clauses; none given lists everything. */
class QueryFiltersTests {

    @Test
    void shouldJoinOnlyTheGivenFiltersWithTheirValuesBoundByName() {
        QueryFilters filters = new QueryFilters().equal("status", "failed").equal("check", null).equal("runId", 7L);

        assertThat(filters.query()).isEqualTo("status = :status and runId = :runId");
        assertThat(filters.parameters()).isEqualTo(Map.of("status", "failed", "runId", 7L));
    }

    @Test
    void shouldBeAnEmptyQueryWhenNoFilterIsGiven() {
        QueryFilters filters = new QueryFilters().equal("status", null);

        assertThat(filters.query()).isEmpty();
        assertThat(filters.parameters()).isEmpty();
    }
}
