package dev.shopflow.analytics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RfmTests {

    @ParameterizedTest(name = "r{0} f{1} m{2} -> {3}")
    @CsvSource({
        "5, 5, 5, champions", "4, 4, 4, champions", "4, 4, 3, loyal", "3, 3, 1, loyal", "5, 2, 5, potential_loyalist",
        "4, 1, 1, potential_loyalist", "3, 2, 5, needs_attention", "2, 5, 5, at_risk", "1, 3, 1, at_risk",
        "2, 2, 5, hibernating", "1, 1, 1, hibernating"})
    void shouldSegmentByTheFirstRuleThatMatches(int r, int f, int m, String segment) {
        assertThat(Rfm.segment(r, f, m).wireName()).isEqualTo(segment);
    }

    @Test
    void shouldWriteCutPointsAsAnArrayLiteral() {
        assertThat(Rfm.arrayLiteral(List.of(1, 2, 2, 7))).isEqualTo("{1,2,2,7}");
        assertThat(Rfm.arrayLiteral(List.of(new BigDecimal("10.50"), new BigDecimal("99.00")))).isEqualTo("{10.50,99.00}");
    }
}
