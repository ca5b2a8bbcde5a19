package dev.realitycheck.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The optimiser on functions whose optimum is known: it gets close within a small budget, beats
 * random search on average over seeds, and proposes the same trials for the same seed and
 * observations.
 */
class BayesianOptimizerTest {

    /** A bumpy 1-D function on [0, 2]. */
    static double bumpy(Map<String, Double> p) {
        double x = p.get("x");
        return -(x - 1.3) * (x - 1.3) + 0.3 * Math.sin(8 * x);
    }

    /** Negated Branin on [-5, 10] x [0, 15]: maximum -0.397887 at three points. */
    static double branin(Map<String, Double> p) {
        double x = p.get("x");
        double y = p.get("y");
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return -(Math.pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - t) * Math.cos(x) + 10);
    }

    static final List<Dimension> BRANIN = List.of(Dimension.linear("x", -5, 10), Dimension.linear("y", 0, 15));
    static final double BRANIN_MAX = -0.397887;

    static List<Observation> run(BayesianOptimizer optimizer, int trials, ToDoubleFunction<Map<String, Double>> f) {
        List<Observation> observed = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Map<String, Double> p = optimizer.propose(t, observed, List.of());
            observed.add(new Observation(p, f.applyAsDouble(p)));
        }
        return observed;
    }

    static double best(List<Observation> observed) {
        return observed.stream().mapToDouble(Observation::value).max().orElseThrow();
    }

    static double randomSearch(List<Dimension> dims, int trials, long seed, ToDoubleFunction<Map<String, Double>> f) {
        SplittableRandom random = new SplittableRandom(seed);
        double best = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < trials; t++) {
            Map<String, Double> p = new java.util.HashMap<>();
            for (Dimension d : dims) {
                p.put(d.name(), d.fromUnit(random.nextDouble()));
            }
            best = Math.max(best, f.applyAsDouble(p));
        }
        return best;
    }

    static BayesianOptimizer optimizer(List<Dimension> dims, long seed, int trials) {
        return new BayesianOptimizer(dims, seed, BayesianOptimizer.Settings.defaults(trials), null);
    }

    @Test
    void findsTheMaximumOfABumpyOneDimensionalFunction() {
        List<Dimension> dims = List.of(Dimension.linear("x", 0, 2));
        double max = Double.NEGATIVE_INFINITY;
        for (double x = 0; x <= 2; x += 1e-5) {
            max = Math.max(max, bumpy(Map.of("x", x)));
        }
        for (long seed = 0; seed < 3; seed++) {
            List<Observation> observed = run(optimizer(dims, seed, 15), 15, BayesianOptimizerTest::bumpy);
            assertThat(best(observed)).as("seed %d: %s", seed, observed).isGreaterThan(max - 0.01);
        }
    }

    @Test
    void findsTheMaximumOfBraninWithinThirtyTrials() {
        List<Observation> observed = run(optimizer(BRANIN, 7, 30), 30, BayesianOptimizerTest::branin);
        assertThat(best(observed)).as("%s", observed).isGreaterThan(BRANIN_MAX - 0.5);
    }

    @Test
    void findsALearningRateOnALogScale() {
        List<Dimension> dims = List.of(Dimension.log("lr", 1e-6, 1));
        ToDoubleFunction<Map<String, Double>> f = p -> -Math.pow(Math.log10(p.get("lr")) + 3, 2);
        List<Observation> observed = run(optimizer(dims, 1, 12), 12, f);
        Observation best = observed.stream().max(java.util.Comparator.comparingDouble(Observation::value)).orElseThrow();
        assertThat(Math.log10(best.parameters().get("lr"))).as("%s", observed).isBetween(-3.2, -2.8);
    }

    @Test
    void beatsRandomSearchOnAverageOverSeeds() {
        int trials = 20;
        int seeds = 8;
        double bo = 0;
        double random = 0;
        for (long seed = 0; seed < seeds; seed++) {
            bo += best(run(optimizer(BRANIN, seed, trials), trials, BayesianOptimizerTest::branin)) / seeds;
            random += randomSearch(BRANIN, trials, 1000 + seed, BayesianOptimizerTest::branin) / seeds;
        }
        assertThat(bo).as("mean best: BO %.3f, random %.3f", bo, random).isGreaterThan(random);
        assertThat(BRANIN_MAX - bo).as("BO's mean regret").isLessThan(0.5 * (BRANIN_MAX - random));
    }

    @Test
    void theSameSeedAndObservationsGiveTheSameTrials() {
        List<Observation> a = run(optimizer(BRANIN, 42, 10), 10, BayesianOptimizerTest::branin);
        List<Observation> b = run(optimizer(BRANIN, 42, 10), 10, BayesianOptimizerTest::branin);
        assertThat(b).isEqualTo(a);
        // a fresh optimiser (a restarted search) continues from the observations alone
        Map<String, Double> next = optimizer(BRANIN, 42, 10).propose(10, a, List.of());
        assertThat(optimizer(BRANIN, 42, 10).propose(10, a, List.of())).isEqualTo(next);
        List<Observation> c = run(optimizer(BRANIN, 43, 10), 10, BayesianOptimizerTest::branin);
        assertThat(c.get(0)).isNotEqualTo(a.get(0));
    }

    @Test
    void pendingTrialsPushTheNextProposalElsewhere() {
        List<Observation> observed = run(optimizer(BRANIN, 5, 8), 8, BayesianOptimizerTest::branin);
        BayesianOptimizer o = optimizer(BRANIN, 5, 8);
        Map<String, Double> alone = o.propose(8, observed, List.of());
        Map<String, Double> besidePending = o.propose(8, observed, List.of(alone));
        double dx = (alone.get("x") - besidePending.get("x")) / 15;
        double dy = (alone.get("y") - besidePending.get("y")) / 15;
        assertThat(Math.hypot(dx, dy)).as("%s vs %s", alone, besidePending).isGreaterThan(0.02);
    }

    @Test
    void trialZeroIsTheStartingPointWhenItLiesInsideTheRanges() {
        List<Dimension> dims = List.of(Dimension.linear("margin", 0, 1), new Dimension("k", 1, 20, false, true));
        BayesianOptimizer withStart = new BayesianOptimizer(dims, 3, BayesianOptimizer.Settings.defaults(10),
                Map.of("margin", 0.05, "k", 10.0));
        assertThat(withStart.hasStartingPoint()).isTrue();
        assertThat(withStart.propose(0, List.of(), List.of())).isEqualTo(Map.of("margin", 0.05, "k", 10.0));
        BayesianOptimizer onLogScale = new BayesianOptimizer(List.of(Dimension.log("lr", 1e-3, 1)), 3,
                BayesianOptimizer.Settings.defaults(10), Map.of("lr", 1e-3));
        assertThat(onLogScale.propose(0, List.of(), List.of())).as("exactly, not via exp(log(x))")
                .isEqualTo(Map.of("lr", 1e-3));
        BayesianOptimizer outside = new BayesianOptimizer(dims, 3, BayesianOptimizer.Settings.defaults(10),
                Map.of("margin", 2.0, "k", 10.0));
        assertThat(outside.hasStartingPoint()).isFalse();
        for (int t = 0; t < 8; t++) {
            Map<String, Double> p = outside.propose(t, List.of(), List.of());
            assertThat(dims.get(0).contains(p.get("margin"))).isTrue();
            assertThat(p.get("k")).isEqualTo(Math.rint(p.get("k")));
        }
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> new BayesianOptimizer(List.of(), 0, BayesianOptimizer.Settings.defaults(5), null))
                .hasMessageContaining("dimensions");
        assertThatThrownBy(() -> new BayesianOptimizer(List.of(Dimension.linear("a", 0, 1), Dimension.linear("a", 0, 2)),
                0, BayesianOptimizer.Settings.defaults(5), null)).hasMessageContaining("distinct");
        assertThatThrownBy(() -> new BayesianOptimizer.Settings(0, 10, 1, 0)).hasMessageContaining("initialTrials");
        assertThatThrownBy(() -> optimizer(BRANIN, 0, 5).propose(-1, List.of(), List.of())).hasMessageContaining("trial");
    }
}
