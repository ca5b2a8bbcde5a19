package dev.realitycheck.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Expected improvement: zero where nothing can be gained, positive where something can. */
class ExpectedImprovementTest {

    @Test
    void isZeroAtTheObservedBestAndPositiveInUnexploredPlaces() {
        double[][] x = {{0.1}, {0.4}, {0.7}};
        double[] y = {0.2, 0.9, 0.5};
        GaussianProcess gp = GaussianProcess.fit(x, y, Matern52.isotropic(1, 0.15), 0);
        double best = 0.9;
        double[] atBest = gp.predict(x[1]);
        double eiAtBest = ExpectedImprovement.of(atBest[0], atBest[1], best, 0);
        assertThat(eiAtBest).isLessThan(1e-4);
        double[] unexplored = gp.predict(new double[] {1.0});
        double eiUnexplored = ExpectedImprovement.of(unexplored[0], unexplored[1], best, 0);
        assertThat(eiUnexplored).isGreaterThan(1e-2).isGreaterThan(1000 * eiAtBest);
        double[] between = gp.predict(new double[] {0.55});
        assertThat(ExpectedImprovement.of(between[0], between[1], best, 0)).isGreaterThan(0);
    }

    @Test
    void growsWithTheMeanAndWithTheUncertainty() {
        assertThat(ExpectedImprovement.of(1.0, 0.1, 0.5, 0)).isCloseTo(0.5, within(1e-3));
        assertThat(ExpectedImprovement.of(0.6, 0.1, 0.5, 0)).isGreaterThan(ExpectedImprovement.of(0.5, 0.1, 0.5, 0));
        assertThat(ExpectedImprovement.of(0.5, 0.3, 0.5, 0)).isGreaterThan(ExpectedImprovement.of(0.5, 0.1, 0.5, 0));
        // at mean = best, EI = σ φ(0)
        assertThat(ExpectedImprovement.of(0.5, 0.2, 0.5, 0)).isCloseTo(0.2 / Math.sqrt(2 * Math.PI), within(1e-9));
        assertThat(ExpectedImprovement.of(0.4, 0, 0.5, 0)).isZero();
        assertThat(ExpectedImprovement.of(0.6, 0.1, 0.5, 0.2)).isLessThan(ExpectedImprovement.of(0.6, 0.1, 0.5, 0));
    }
}
