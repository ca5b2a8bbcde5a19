package dev.realitycheck.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void confidenceIntervalUsesStudentTWithNMinusOneDegreesOfFreedom() {
        // values 1..5: mean 3, sd sqrt(2.5); t(0.975, 4) = 2.7764451
        Summary s = Summary.of(1, 2, 3, 4, 5).orElseThrow();

        assertThat(s.mean()).isEqualTo(3.0);
        assertThat(s.stddev().getAsDouble()).isCloseTo(Math.sqrt(2.5), within(1e-12));
        assertThat(s.ci95HalfWidth().getAsDouble()).isCloseTo(2.7764451 * Math.sqrt(2.5) / Math.sqrt(5), within(1e-6));
        assertThat(s.n()).isEqualTo(5);
    }

    @Test
    void oneValueHasNoInterval() {
        Summary s = Summary.of(0.4).orElseThrow();

        assertThat(s.ci95HalfWidth()).isEmpty();
        assertThat(s.stddev()).isEmpty();
    }

    @Test
    void undefinedValuesAreSkippedAndNoneLeftIsEmpty() {
        assertThat(Summary.of(Double.NaN, 0.5, 0.7).orElseThrow().n()).isEqualTo(2);
        assertThat(Summary.of(Double.NaN)).isEmpty();
    }
}
