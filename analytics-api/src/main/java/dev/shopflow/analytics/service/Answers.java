package dev.shopflow.analytics.service;

import dev.shopflow.analytics.domain.KpiAnswers.Cohort;
import dev.shopflow.analytics.persistence.PublishedVersion;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rounding and the shared pieces of KPI answers (docs/contract.md section 3), used by the answers
 * computed in SQL ({@link SqlKpis}) and from a prepared version ({@link PreparedKpis}) alike.
 */
final class Answers {

    static final String[] DAY_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

    private Answers() {
    }

    static ProblemException unknownCustomer(PublishedVersion v, String customerId) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-customer",
                "No customer " + customerId + " with a qualifying order in version " + v.version()));
    }

    /** A cohort's size and retention[0 .. months to the latest active month] from its counts per month offset. */
    static Cohort cohort(LocalDate month, Map<Integer, Long> counts, LocalDate lastActiveMonth) {
        long size = counts.getOrDefault(0, 0L);
        int months = (int) ChronoUnit.MONTHS.between(month, lastActiveMonth);
        List<BigDecimal> retention = new ArrayList<>(months + 1);
        for (int k = 0; k <= months; k++) {
            retention.add(ratio(BigDecimal.valueOf(counts.getOrDefault(k, 0L)), size, 4));
        }
        return new Cohort(month, size, retention);
    }

    static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    static BigDecimal money(BigDecimal value) {
        return (value == null ? BigDecimal.ZERO : value).setScale(2, RoundingMode.HALF_UP);
    }

    /** An amount held as hundredths (prepared versions keep money as exact cents). */
    static BigDecimal cents(long hundredths) {
        return BigDecimal.valueOf(hundredths, 2);
    }

    /** value / count, or null when count is 0 (an aov of no orders is undefined, not 0). */
    static BigDecimal ratio(BigDecimal value, long count, int scale) {
        return count == 0 ? null : value.divide(BigDecimal.valueOf(count), scale, RoundingMode.HALF_UP);
    }

    static BigDecimal share(BigDecimal part, BigDecimal total) {
        return total.signum() == 0 ? null : part.divide(total, 4, RoundingMode.HALF_UP);
    }
}
