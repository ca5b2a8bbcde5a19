package dev.realitycheck.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** The JDK-only Student t against Apache Commons Math's (test scope only). */
class StudentTTest {

    @Test
    void quantilesMatchCommonsMathFromOneToTenThousandDegreesOfFreedom() {
        for (int df : new int[] {1, 2, 3, 4, 5, 7, 9, 10, 15, 29, 30, 49, 99, 100, 1000, 10_000}) {
            TDistribution reference = new TDistribution(null, df);
            for (double p : new double[] {0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.025, 0.1}) {
                double expected = reference.inverseCumulativeProbability(p);
                assertThat(new StudentT(df).quantile(p)).as("df %d p %s", df, p)
                        .isCloseTo(expected, within(1e-8 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void distributionFunctionMatchesCommonsMath() {
        for (double df : new double[] {1, 2.5, 6, 40, 500}) {
            TDistribution reference = new TDistribution(null, df);
            for (double t : new double[] {-50, -3, -1, -0.1, 0, 0.1, 1, 2.2, 3, 12, 50}) {
                assertThat(new StudentT(df).cdf(t)).as("df %s t %s", df, t)
                        .isCloseTo(reference.cumulativeProbability(t), within(1e-12));
            }
        }
    }

    @Test
    void knownTableValuesForTheNinetyFivePercentInterval() {
        assertThat(new StudentT(1).quantile(0.975)).isCloseTo(12.7062047, within(1e-6));
        assertThat(new StudentT(4).quantile(0.975)).isCloseTo(2.7764451, within(1e-6));
        assertThat(new StudentT(30).quantile(0.975)).isCloseTo(2.0422725, within(1e-6));
    }

    @Test
    void rejectsBadParametersNamingTheValue() {
        assertThatThrownBy(() -> new StudentT(0)).hasMessageContaining("got 0.0");
        assertThatThrownBy(() -> new StudentT(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new StudentT(3).quantile(1)).hasMessageContaining("got 1.0");
    }
}
