package dev.shopflow.analytics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KpiParamsTests {

    @Test
    void shouldNameEveryInvalidParameterInOneProblem() {
        KpiParams p = new KpiParams();
        p.date("from", "2025-13-01");
        p.date("to", null);
        p.oneOf("granularity", "fortnight", "day", Set.of("day", "week", "month"));
        ProblemException e = catchThrowableOfType(ProblemException.class, p::check);
        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().errors()).extracting(Problem.FieldError::field)
                .containsExactly("from", "to", "granularity");
    }

    @Test
    void shouldRefuseFromAfterTo() {
        KpiParams p = new KpiParams();
        p.range(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 1, 1));
        assertThat(catchThrowableOfType(ProblemException.class, p::check).problem().errors().get(0).field())
                .isEqualTo("from");
    }

    @Test
    void shouldAcceptAValidRange() {
        KpiParams p = new KpiParams();
        LocalDate from = p.date("from", "2025-01-01");
        LocalDate to = p.date("to", "2025-01-31");
        p.range(from, to);
        p.check();
        assertThat(from).isBefore(to);
    }
}
