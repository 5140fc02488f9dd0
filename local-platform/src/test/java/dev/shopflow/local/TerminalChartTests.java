package dev.shopflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalChartTests {

    static List<BigDecimal> values(long... v) {
        return java.util.Arrays.stream(v).mapToObj(BigDecimal::valueOf).toList();
    }

    @Test
    void theLargestValueFillsEveryRowAndHalfOfItFillsHalf() {
        List<String> lines = TerminalChart.columns(values(100, 50, 0), 2, "100");
        assertThat(lines).containsExactly("100 │█  ", "    │██ ");
    }

    @Test
    void partsOfARowAreEighthBlocks() {
        List<String> lines = TerminalChart.columns(values(80, 10, 45), 1, "80");
        assertThat(lines).containsExactly("80 │█▁▅");
    }

    @Test
    void nothingToDrawIsBlankNotAnError() {
        assertThat(TerminalChart.columns(values(0, 0), 2, "0")).containsExactly("0 │  ", "  │  ");
        assertThat(TerminalChart.columns(List.of(), 1, "-")).containsExactly("- │");
    }
}
