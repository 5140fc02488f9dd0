package dev.shopflow.ingestion.domain;

import java.math.BigDecimal;

/**
 * The fast path of number validation for the plain decimals nearly every row carries
 * ({@code -?digits[.digits]}, up to 15 integer digits): canonical text and bounds without a
 * BigDecimal. Anything else (exponents, signs like "+", long numbers) returns null and takes the
 * BigDecimal path, which gives the same answers.
 */
final class PlainDecimal {

    static final String BELOW_MIN = new String("below min");
    static final String ABOVE_MAX = new String("above max");
    static final String TOO_PRECISE = new String("too precise");

    private PlainDecimal() {
    }

    /**
     * @return the canonical text (no leading zeros, no trailing fractional zeros, "0" for zero),
     *     {@link #BELOW_MIN}, {@link #ABOVE_MAX}, {@link #TOO_PRECISE}, or null when the text is not a plain decimal
     */
    static String canonical(String text, int maxScale, BigDecimal min, boolean minExclusive, BigDecimal max) {
        if (maxScale > 2) {
            return null;
        }
        int n = text.length();
        int i = 0;
        boolean negative = n > 0 && text.charAt(0) == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
        }
        int intEnd = i;
        int fracStart = i;
        int fracEnd = i;
        if (i < n && text.charAt(i) == '.') {
            fracStart = ++i;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
            }
            fracEnd = i;
            if (fracEnd == fracStart) {
                return null;
            }
        }
        if (i != n || intEnd == intStart || intEnd - intStart > 15) {
            return null;
        }
        while (fracEnd > fracStart && text.charAt(fracEnd - 1) == '0') {
            fracEnd--;
        }
        if (fracEnd - fracStart > maxScale) {
            return TOO_PRECISE;
        }
        int firstDigit = intStart;
        while (firstDigit < intEnd - 1 && text.charAt(firstDigit) == '0') {
            firstDigit++;
        }
        // value in hundredths, for the bounds (scale is at most 2 here)
        long whole = Long.parseLong(text, firstDigit, intEnd, 10);
        long hundredths = whole * 100;
        for (int d = 0; d < 2; d++) {
            int at = fracStart + d;
            hundredths += (at < fracEnd ? text.charAt(at) - '0' : 0) * (d == 0 ? 10 : 1);
        }
        if (negative) {
            hundredths = -hundredths;
        }
        if (min != null) {
            long minHundredths = min.movePointRight(2).longValueExact();
            if (minExclusive ? hundredths <= minHundredths : hundredths < minHundredths) {
                return BELOW_MIN;
            }
        }
        if (max != null && hundredths > max.movePointRight(2).longValueExact()) {
            return ABOVE_MAX;
        }
        if (hundredths == 0) {
            return "0";
        }
        StringBuilder canonical = new StringBuilder(n);
        if (negative) {
            canonical.append('-');
        }
        canonical.append(text, firstDigit, intEnd);
        if (fracEnd > fracStart) {
            canonical.append('.').append(text, fracStart, fracEnd);
        }
        return canonical.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
