package dev.realitycheck.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The mapping of a hyperparameter range to the unit interval. */
class DimensionTest {

    @Test
    void aLogScaleSpendsTheUnitIntervalEvenlyOnEveryDecade() {
        Dimension lr = Dimension.log("lr", 1e-5, 1e-1);
        assertThat(lr.fromUnit(0)).isCloseTo(1e-5, within(1e-12));
        assertThat(lr.fromUnit(0.25)).isCloseTo(1e-4, within(1e-10));
        assertThat(lr.fromUnit(0.5)).isCloseTo(1e-3, within(1e-9));
        assertThat(lr.fromUnit(1)).isCloseTo(1e-1, within(1e-9));
        assertThat(lr.toUnit(1e-2)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void integerRangesRoundToIntegersInsideTheRange() {
        Dimension centers = new Dimension("centers", 1.5, 10.2, false, true);
        assertThat(centers.fromUnit(0)).isEqualTo(2.0);
        assertThat(centers.fromUnit(1)).isEqualTo(10.0);
        for (double u = 0; u <= 1; u += 0.01) {
            double v = centers.fromUnit(u);
            assertThat(v).isEqualTo(Math.rint(v));
            assertThat(centers.contains(v)).isTrue();
        }
        assertThat(centers.contains(3.5)).isFalse();
    }

    @Test
    void outOfRangeUnitsClampAndASingleValueRangeIsConstant() {
        Dimension m = Dimension.linear("margin", 0.1, 0.9);
        assertThat(m.fromUnit(-3)).isEqualTo(0.1);
        assertThat(m.fromUnit(7)).isEqualTo(0.9);
        Dimension fixed = Dimension.linear("fixed", 2, 2);
        assertThat(fixed.fromUnit(0.7)).isEqualTo(2.0);
        assertThat(fixed.toUnit(2)).isZero();
    }

    @Test
    void badRangesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> Dimension.linear("margin", 1, 0)).hasMessageContaining("margin: max (0.0)");
        assertThatThrownBy(() -> Dimension.log("lr", 0, 1)).hasMessageContaining("lr: min must be > 0");
        assertThatThrownBy(() -> new Dimension("k", 1.2, 1.8, false, true)).hasMessageContaining("k: an integer range");
        assertThatThrownBy(() -> Dimension.linear("x", Double.NaN, 1)).hasMessageContaining("finite");
    }
}
