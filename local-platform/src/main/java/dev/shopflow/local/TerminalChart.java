package dev.shopflow.local;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A column chart in a terminal: one column per value, {@code height} rows of eighth blocks. */
final class TerminalChart {

    private static final char[] EIGHTHS = {' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    private TerminalChart() {
    }

    /**
     * The chart's lines, top first: the largest value reaches the top row, zero draws nothing; the
     * first line is prefixed with the maximum, the others with blanks of the same width.
     */
    static List<String> columns(List<BigDecimal> values, int height, String maxLabel) {
        BigDecimal max = values.stream().max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
        List<String> lines = new ArrayList<>();
        String blank = " ".repeat(maxLabel.length());
        for (int row = height - 1; row >= 0; row--) {
            StringBuilder line = new StringBuilder(row == height - 1 ? maxLabel : blank).append(" │");
            for (BigDecimal v : values) {
                // the value in eighths of a row, rounded; this row shows what lies above its floor
                long eighths = max.signum() <= 0 || v.signum() <= 0 ? 0
                        : v.multiply(BigDecimal.valueOf(height * 8L)).divide(max, 0, java.math.RoundingMode.HALF_UP).longValue();
                long inRow = Math.max(0, Math.min(8, eighths - row * 8L));
                line.append(EIGHTHS[(int) inRow]);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
