package dev.shopflow.quality.domain;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in checks files: "2d", "26h", "30m", "45s", or ISO-8601 ("PT26H"). */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([dhms])");

    private Durations() {
    }

    /** @return the duration, or null when the text is not one */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SHORT.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            Duration d = Duration.parse(text.strip());
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
