package dev.realitycheck.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The posterior of the surrogate: interpolation, uncertainty, and the fitted kernel. */
class GaussianProcessTest {

    static final double[][] X = {{0.05}, {0.3}, {0.55}, {0.8}, {0.95}};

    static double f(double x) {
        return Math.sin(6 * x) + 0.5 * x;
    }

    static double[] y() {
        double[] y = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            y[i] = f(X[i][0]);
        }
        return y;
    }

    @Test
    void aNoiselessPosteriorInterpolatesItsPointsWithNoUncertaintyThere() {
        GaussianProcess gp = GaussianProcess.fit(X, y(), Matern52.isotropic(1, 0.2), 0);
        for (int i = 0; i < X.length; i++) {
            double[] p = gp.predict(X[i]);
            assertThat(p[0]).as("mean at %s", X[i][0]).isCloseTo(y()[i], within(1e-6));
            assertThat(p[1]).as("std at %s", X[i][0]).isLessThan(1e-3);
        }
        double between = gp.predict(new double[] {0.175})[1];
        assertThat(between).isGreaterThan(0.01);
    }

    @Test
    void uncertaintyGrowsAwayFromTheDataTowardsThePriorScale() {
        double[][] x = {{0.0}, {0.1}, {0.2}};
        double[] y = {1.0, 2.0, 1.5};
        GaussianProcess gp = GaussianProcess.fit(x, y, Matern52.isotropic(1, 0.1), 1e-6);
        double near = gp.predict(new double[] {0.21})[1];
        double far = gp.predict(new double[] {0.9})[1];
        assertThat(far).isGreaterThan(near * 3);
        // far from every point the posterior reverts to the prior: the observed mean and spread
        assertThat(gp.predict(new double[] {1.0})[0]).isCloseTo(1.5, within(0.05));
        assertThat(far).isCloseTo(Math.sqrt((0.25 + 0.25 + 0) / 3), within(0.01));
    }

    @Test
    void theFittedPosteriorPredictsASmoothFunctionBetweenItsPoints() {
        double[][] x = new double[9][];
        double[] y = new double[9];
        for (int i = 0; i < 9; i++) {
            x[i] = new double[] {i / 8.0};
            y[i] = f(x[i][0]);
        }
        GaussianProcess gp = GaussianProcess.fit(x, y);
        for (double t = 0.03; t < 1; t += 0.125) {
            assertThat(gp.predict(new double[] {t})[0]).as("at %s", t).isCloseTo(f(t), within(0.1));
        }
        assertThat(gp.noise()).isLessThanOrEqualTo(1e-3);
    }

    @Test
    void aDimensionThatDoesNotMatterGetsALongLengthScale() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        double[][] x = new double[25][];
        double[] y = new double[25];
        for (int i = 0; i < 25; i++) {
            x[i] = new double[] {r.nextDouble(), r.nextDouble()};
            y[i] = f(x[i][0]);
        }
        double[] l = GaussianProcess.fit(x, y).kernel().lengthScales();
        assertThat(l[1]).isGreaterThan(2 * l[0]);
    }

    @Test
    void badInputIsRefusedNamingIt() {
        assertThatThrownBy(() -> GaussianProcess.fit(X, new double[] {1, 2}))
                .hasMessageContaining("5 points and 2 values");
        assertThatThrownBy(() -> GaussianProcess.fit(new double[][] {{0}}, new double[] {Double.NaN}))
                .hasMessageContaining("y[0]");
        assertThatThrownBy(() -> GaussianProcess.fit(X, y(), Matern52.isotropic(1, 0.2), -1))
                .hasMessageContaining("noise");
        assertThatThrownBy(() -> new Matern52(new double[] {0.1, 0})).hasMessageContaining("lengthScales[1]");
    }
}
