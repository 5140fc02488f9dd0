package dev.shopflow.common.wire;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The bounds every service applies to what a request or a row may make it hold (docs/contract.md
 * sections 1 and 2), in one place so ingestion, transform, the generator and analytics agree.
 */
public final class DataBounds {

    /**
     * The oldest timestamp a record may carry (rule out_of_range below it): far inside what PostgreSQL
     * holds (4713 BC), always a four-digit year in ISO-8601, and no fact partition is made for an era no
     * shop traded in.
     */
    public static final Instant OLDEST_TIMESTAMP = Instant.parse("1900-01-01T00:00:00Z");
    public static final LocalDate OLDEST_DATE = LocalDate.of(1900, 1, 1);
    /** A record's timestamps may lie at most this far after its ingestion (rule future_timestamp). */
    public static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
    /** The last day the generator generates (it models the future too, but not an unbounded one). */
    public static final LocalDate NEWEST_GENERATED_DATE = LocalDate.of(2100, 12, 31);
    /** Generated orders of one day, whatever the growth model says. */
    public static final int MAX_ORDERS_PER_DAY = 1_000_000;
    /** Periods or groups one KPI answer may hold; a larger answer is a 400. */
    public static final int MAX_ANSWER_ITEMS = 10_000;

    private DataBounds() {
    }

    /** The newest day a record stamped now may carry: today + 1 day, in UTC. */
    public static LocalDate newestDate(Instant now) {
        return now.plus(FUTURE_TOLERANCE).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** Whether {@code day} is a date a record could carry (rebuild ranges, KPI queries of stored data). */
    public static boolean storable(LocalDate day, Instant now) {
        return !day.isBefore(OLDEST_DATE) && !day.isAfter(newestDate(now));
    }
}
