package dev.shopflow.quality.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks-file durations, side by side with Quarkus's own converter (issue 19 asked whether it could
 * replace Durations): both read the same valid inputs the same way, but Quarkus's also takes negative
 * durations, bare numbers and milliseconds, which a check's grace or max_age must not be. Durations stays.
 */
class DurationsTests {

    @ParameterizedTest
    @CsvSource({"2d, PT48H", "26h, PT26H", "30m, PT30M", "45s, PT45S", "PT26H, PT26H", "P1D, PT24H", "'  2d ', PT48H"})
    void readsTheSameValidInputsAsQuarkus(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
        assertThat(DurationConverter.parseDuration(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-PT1H", "-5s", "5", "500ms"})
    void refusesWhatQuarkusWouldTakeButAGraceMustNotBe(String text) {
        assertThat(Durations.parse(text)).isNull();
        assertThat(DurationConverter.parseDuration(text)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "2 d", "1.5h", "d"})
    void refusesWhatNeitherReads(String text) {
        assertThat(Durations.parse(text)).isNull();
        assertThatThrownBy(() -> DurationConverter.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
