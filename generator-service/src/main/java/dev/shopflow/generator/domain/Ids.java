package dev.shopflow.generator.domain;

import java.time.LocalDate;

/** Ids like O-20250301-00042, built without String.format (it showed in profiles). */
final class Ids {

    private Ids() {
    }

    static String of(String prefix, LocalDate day, int n) {
        int ymd = day.getYear() * 10_000 + day.getMonthValue() * 100 + day.getDayOfMonth();
        return prefix + ymd + "-" + pad(n, 5);
    }

    static String pad(int n, int width) {
        String digits = Integer.toString(n);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
