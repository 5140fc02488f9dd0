package dev.shopflow.analytics.service;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** RFM segments from the three 1-5 scores (rules: docs/analytics.md); the scores come from rfm.sql. */
final class Rfm {

    enum Segment {
        CHAMPIONS, LOYAL, POTENTIAL_LOYALIST, NEEDS_ATTENTION, AT_RISK, HIBERNATING;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Rfm() {
    }

    /** First match wins. */
    static Segment segment(int r, int f, int m) {
        if (r >= 4 && f >= 4 && m >= 4) {
            return Segment.CHAMPIONS;
        }
        if (r >= 3 && f >= 3) {
            return Segment.LOYAL;
        }
        if (r >= 4) {
            return Segment.POTENTIAL_LOYALIST;
        }
        if (r == 3) {
            return Segment.NEEDS_ATTENTION;
        }
        return f >= 3 ? Segment.AT_RISK : Segment.HIBERNATING;
    }

    /** A PostgreSQL array literal of cut points ({1,2,3,4}), bound as text and cast in the SQL. */
    static String arrayLiteral(Object cuts) {
        return ((List<?>) cuts).stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }
}
