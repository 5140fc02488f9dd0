package dev.shopflow.ingestion.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path must answer exactly as BigDecimal does, on every input it accepts. */
class PlainDecimalTests {

    static String reference(String text, int maxScale, BigDecimal min, boolean minExclusive, BigDecimal max) {
        BigDecimal value = new BigDecimal(text);
        BigDecimal normalized = value.stripTrailingZeros();
        if (normalized.scale() > maxScale) {
            return PlainDecimal.TOO_PRECISE;
        }
        boolean below = min != null && (minExclusive ? value.compareTo(min) <= 0 : value.compareTo(min) < 0);
        if (below) {
            return PlainDecimal.BELOW_MIN;
        }
        if (max != null && value.compareTo(max) > 0) {
            return PlainDecimal.ABOVE_MAX;
        }
        return normalized.scale() < 0 ? normalized.setScale(0).toPlainString() : normalized.toPlainString();
    }

    @Test
    void shouldAgreeWithBigDecimalOnRandomPlainDecimals() {
        Random random = new Random(11);
        String[] pieces = {"0", "00", "1", "9", "10", "100", "007", "999999", "1000000", "123456789012345"};
        String[] fractions = {"", ".0", ".00", ".5", ".50", ".05", ".99", ".001", ".10", ".000"};
        for (int i = 0; i < 20_000; i++) {
            String text = (random.nextInt(5) == 0 ? "-" : "") + pieces[random.nextInt(pieces.length)]
                    + fractions[random.nextInt(fractions.length)];
            int maxScale = random.nextBoolean() ? 2 : 0;
            BigDecimal min = random.nextBoolean() ? BigDecimal.ZERO : BigDecimal.ONE;
            boolean exclusive = random.nextBoolean();
            BigDecimal max = random.nextBoolean() ? null : BigDecimal.valueOf(1_000_000);
            String fast = PlainDecimal.canonical(text, maxScale, min, exclusive, max);
            assertThat(fast).as(text).isNotNull();
            assertThat(fast).as(text + " scale " + maxScale).isEqualTo(reference(text, maxScale, min, exclusive, max));
        }
    }

    @Test
    void shouldLeaveAnythingButPlainDecimalsToBigDecimal() {
        for (String text : new String[] {"1e3", "+1", ".5", "5.", "1.2.3", "", "-", " 1", "1 ", "0x10", "1234567890123456"}) {
            assertThat(PlainDecimal.canonical(text, 2, null, false, null)).as(text).isNull();
        }
    }
}
