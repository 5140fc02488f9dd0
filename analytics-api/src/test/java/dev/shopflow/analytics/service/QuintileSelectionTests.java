package dev.shopflow.analytics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linear-time cut points of RFM equal those read off a sorted copy, for any size and many ties. */
class QuintileSelectionTests {

    @Test
    void shouldSelectWhatASortWouldGive() {
        Random random = new Random(17);
        double[] fractions = {0.2, 0.4, 0.6, 0.8};
        for (int run = 0; run < 2_000; run++) {
            int n = 1 + random.nextInt(run < 1_000 ? 12 : 3_000);
            int spread = 1 + random.nextInt(random.nextBoolean() ? 4 : 1_000_000);
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextInt(spread) - spread / 3;
            }
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            long[] expected = new long[4];
            for (int q = 0; q < 4; q++) {
                expected[q] = sorted[PreparedKpis.percentileDiscIndex(fractions[q], n)];
            }
            assertThat(PreparedKpis.quintiles(values)).as("run %d, n %d", run, n).containsExactly(expected);
        }
    }
}
