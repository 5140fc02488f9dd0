package dev.shopflow.analytics.api;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.DataBounds;
import java.lang.reflect.RecordComponent;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;

/**
 * At most {@link DataBounds#MAX_ANSWER_ITEMS} periods or groups per answer (docs/contract.md section
 * 2): a series' periods are counted from its parameters before anything is computed (a day series of
 * 0001-01-01..9999-12-31 once built 3.65M periods in a 192 MiB heap), groups that only the data
 * decides (categories, states, cohorts) are counted on the computed answer before it is serialized.
 */
final class AnswerBounds {

    private AnswerBounds() {
    }

    /** The periods of a series from {@code from} to {@code to} at {@code granularity}; a 400 past the bound. */
    static long periods(LocalDate from, LocalDate to, String granularity) {
        long periods = switch (granularity) {
            case "day" -> ChronoUnit.DAYS.between(from, to) + 1;
            case "week" -> ChronoUnit.WEEKS.between(from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                    to.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))) + 1;
            case "month" -> ChronoUnit.MONTHS.between(from.withDayOfMonth(1), to.withDayOfMonth(1)) + 1;
            case "quarter" -> ChronoUnit.MONTHS.between(from.withDayOfMonth(1), to.withDayOfMonth(1)) / 3 + 2;
            case "year" -> to.getYear() - from.getYear() + 1L;
            default -> 0;
        };
        if (periods > DataBounds.MAX_ANSWER_ITEMS) {
            throw tooLarge("the range holds " + String.format(Locale.ROOT, "%,d", periods) + " periods of a " + granularity,
                    "narrow the range or take a coarser granularity");
        }
        return periods;
    }

    /** The answer itself, or a 400 when its {@code items} hold more than the bound. */
    static Object check(Object answer) {
        if (answer instanceof Record record) {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                if (c.getName().equals("items")) {
                    int size = items(record, c);
                    if (size > DataBounds.MAX_ANSWER_ITEMS) {
                        throw tooLarge("the answer holds " + String.format(Locale.ROOT, "%,d", size) + " groups",
                                "narrow the range");
                    }
                }
            }
        }
        return answer;
    }

    private static int items(Record record, RecordComponent c) {
        try {
            return c.getAccessor().invoke(record) instanceof List<?> list ? list.size() : 0;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException tooLarge(String what, String advice) {
        return new ProblemException(Problem.of(jakarta.ws.rs.core.Response.Status.BAD_REQUEST, "answer-too-large",
                what + "; an answer holds at most " + String.format(Locale.ROOT, "%,d", DataBounds.MAX_ANSWER_ITEMS)
                        + " periods or groups: " + advice));
    }
}
