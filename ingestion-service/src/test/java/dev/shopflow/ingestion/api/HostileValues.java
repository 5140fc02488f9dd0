package dev.shopflow.ingestion.api;

import java.util.List;
import java.util.Random;

/**
 * Random JSON values a client might put in any field: wrong types, text no database can hold,
 * numbers on both sides of every limit, timestamps at and beyond PostgreSQL's range.
 */
final class HostileValues {

    private static final List<String> NUMBERS = List.of("0", "-0", "-1", "0.001", "0.01", "0.005", "1e-400", "1e15",
            "1e308", "-1e308", "1E+2", "123456789012345678901234567890", "999999999999.99", "1000000", "1000000.01",
            "999999.999", "10000", "10001", "1000", "1001", "2147483647", "2147483648", "-2147483649", "9.99e9",
            "10000000000", "10000000000.01", "1e10", "0.1e1", "00012", "1.0000000000000000000000001");
    private static final List<String> TIMESTAMPS = List.of("0000-01-01T00:00:00Z", "-0500-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "1900-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "2025-02-30T00:00:00Z", "2025-01-01T00:00:00+25:00", "2025-01-01T24:00:00Z", "2025-01-01",
            "2025-01-01T00:00:00", "2025-01-01T00:00:00.123456789Z", "1970-01-01T00:00:00-18:00", "4713-01-01T00:00:00Z");
    private static final String[] EXOTIC = {"\u0000", "\uD800", "\uDFFF", "\uFFFE", "\uFEFF", "\u202E", "\u0007",
            "\r", "\n", "\t", "\"", "\\", "\uD83D\uDE00", "\u00E9", "\u4E2D", "\u0627", "'", ";--", "%s", "${x}", "\u2028"};

    private HostileValues() {
    }

    /** One JSON value (a literal to place after {@code "field":}). */
    static String any(Random random) {
        return switch (random.nextInt(12)) {
            case 0, 1 -> NUMBERS.get(random.nextInt(NUMBERS.size()));
            case 2 -> (random.nextBoolean() ? "-" : "") + random.nextInt(Integer.MAX_VALUE) + "." + random.nextInt(1000);
            case 3, 4 -> jsonString(TIMESTAMPS.get(random.nextInt(TIMESTAMPS.size())), false);
            case 5 -> List.of("null", "true", "false", "{}", "[]", "{\"a\":[1,{\"b\":null}]}", "[1,2,3]", "\"\"")
                    .get(random.nextInt(8));
            case 6 -> jsonString(wildText(random, 1 + random.nextInt(5000)), random.nextBoolean());
            case 7 -> jsonString(NUMBERS.get(random.nextInt(NUMBERS.size())), false);
            default -> jsonString(wildText(random, 1 + random.nextInt(80)), random.nextBoolean());
        };
    }

    /** A line that is not one JSON object. */
    static String brokenLine(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "{\"order_id\":";
            case 1 -> "[1,2]";
            case 2 -> "{} {}";
            case 3 -> "{\"a\":\"\\uZZZZ\"}";
            case 4 -> "{\"a\":1,\"a\":2";
            default -> wildText(random, 1 + random.nextInt(200)).replace('\n', ' ').replace('\r', ' ');
        };
    }

    /** Text with everything a field can carry: NUL, lone surrogates, controls, other scripts. */
    static String wildText(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            int roll = random.nextInt(10);
            if (roll < 3) {
                s.append(EXOTIC[random.nextInt(EXOTIC.length)]);
            } else if (roll < 5) {
                s.append((char) random.nextInt(0x10000));
            } else {
                s.append((char) (' ' + random.nextInt(95)));
            }
        }
        return s.toString();
    }

    /** Text every text rule accepts: printable, other scripts and emoji as whole pairs, at most {@code max} units. */
    static String validText(Random random, int max) {
        int length = random.nextInt(4) == 0 ? max : 1 + random.nextInt(Math.min(max, 40));
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            int roll = random.nextInt(8);
            if (roll == 0 && s.length() + 2 <= length) {
                s.append("\uD83D\uDE00");
            } else if (roll == 1) {
                s.append(List.of("\u00E9", "\u4E2D", "\u0627", "\u00DF", "\u0416").get(random.nextInt(5)));
            } else {
                s.append((char) ('a' + random.nextInt(26)));
            }
        }
        return s.toString();
    }

    /**
     * A JSON string literal. Every char that JSON requires is escaped; with {@code escapeAll} every
     * char outside printable ASCII is a {@code \\uXXXX} escape, which is how a lone surrogate reaches
     * the reader (as raw UTF-8 it could not be encoded at all).
     */
    static String jsonString(String text, boolean escapeAll) {
        StringBuilder s = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20 || (escapeAll && c > 0x7e) || Character.isSurrogate(c) && !pairedAt(text, i)) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }

    private static boolean pairedAt(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
