package dev.realitycheck.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Bayesian optimisation (maximisation) over a box of {@link Dimension}s: a Gaussian-process
 * surrogate ({@link GaussianProcess}, Matérn 5/2, fitted length scales and noise) on the unit cube
 * and {@link ExpectedImprovement} maximised over seeded random candidates, the best few then
 * refined by a small pattern search.
 *
 * <p>Trial {@code t} is proposed by {@link #propose}: the starting point first (when one is given:
 * the configuration a user would otherwise run, so the search can only match or beat it on its
 * objective), then uniformly random points up to {@link Settings#initialTrials()}, then EI
 * maximisers. Trials still running ("pending") enter the surrogate as observations of the worst
 * value seen so far (the "constant liar"), so trials proposed in parallel spread out.
 *
 * <p>Deterministic: everything random in trial {@code t} comes from a generator seeded by
 * {@code (seed, t)}, so the same observations and pending trials give the same proposal, and a
 * restarted search continues exactly where the lost one would have. Stateless and thread-safe.
 */
public final class BayesianOptimizer {

    /**
     * @param initialTrials random trials (starting point included) before the surrogate is used; >= 1
     * @param candidates    random candidates scored by EI per proposal; >= 1
     * @param refined       best candidates refined by pattern search; >= 0
     * @param xi            EI's exploration margin, in the objective's units; >= 0
     */
    public record Settings(int initialTrials, int candidates, int refined, double xi) {

        /** Validates each setting, naming the bad one. */
        public Settings {
            if (initialTrials < 1) {
                throw new IllegalArgumentException("initialTrials must be >= 1, was " + initialTrials);
            }
            if (candidates < 1) {
                throw new IllegalArgumentException("candidates must be >= 1, was " + candidates);
            }
            if (refined < 0) {
                throw new IllegalArgumentException("refined must be >= 0, was " + refined);
            }
            if (!(xi >= 0) || !Double.isFinite(xi)) {
                throw new IllegalArgumentException("xi must be >= 0 and finite, was " + xi);
            }
        }

        /** 5 initial trials (fewer when the search has fewer), 2000 candidates, 5 refined, ξ = 0. */
        public static Settings defaults(int trials) {
            return new Settings(Math.max(1, Math.min(trials, 5)), 2000, 5, 0.0);
        }
    }

    private final List<Dimension> dimensions;
    private final long seed;
    private final Settings settings;
    private final double[] start;
    private final Map<String, Double> startValues;

    /**
     * @param dimensions    the searched hyperparameters, names distinct; at least one
     * @param seed          seeds every random choice
     * @param settings      the settings
     * @param startingPoint trial 0's values, or {@code null}/empty for none; ignored unless it names
     *                      every dimension with a value inside its range
     */
    public BayesianOptimizer(List<Dimension> dimensions, long seed, Settings settings, Map<String, Double> startingPoint) {
        this.dimensions = List.copyOf(Objects.requireNonNull(dimensions, "dimensions"));
        if (this.dimensions.isEmpty()) {
            throw new IllegalArgumentException("dimensions must not be empty");
        }
        if (this.dimensions.stream().map(Dimension::name).distinct().count() != this.dimensions.size()) {
            throw new IllegalArgumentException("dimension names must be distinct, were "
                    + this.dimensions.stream().map(Dimension::name).toList());
        }
        this.seed = seed;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.start = startingPoint == null || !inside(startingPoint) ? null : unit(startingPoint);
        Map<String, Double> exact = new LinkedHashMap<>();
        if (start != null) {
            this.dimensions.forEach(d -> exact.put(d.name(), startingPoint.get(d.name())));
        }
        this.startValues = java.util.Collections.unmodifiableMap(exact);
    }

    private boolean inside(Map<String, Double> point) {
        return dimensions.stream().allMatch(d -> point.get(d.name()) != null && d.contains(point.get(d.name())));
    }

    /** True when trial 0 is the starting point. */
    public boolean hasStartingPoint() {
        return start != null;
    }

    /** The searched dimensions. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /**
     * Proposes trial {@code trial}.
     *
     * @param trial    the trial's index, >= 0
     * @param observed finished trials (in trial order, for bit-identical results)
     * @param pending  values of trials proposed but not finished
     * @return a value for every dimension, inside its range
     */
    public Map<String, Double> propose(int trial, List<Observation> observed, List<Map<String, Double>> pending) {
        if (trial < 0) {
            throw new IllegalArgumentException("trial must be >= 0, was " + trial);
        }
        SplittableRandom random = new SplittableRandom(mix(seed, trial));
        if (trial == 0 && start != null) {
            return new LinkedHashMap<>(startValues); // exactly as given, not through the unit mapping
        }
        if (trial < settings.initialTrials() || observed.size() < 2) {
            return values(randomPoint(random));
        }
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Observation o : observed) {
            xs.add(unit(o.parameters()));
            ys.add(o.value());
        }
        double best = ys.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double worst = ys.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        for (Map<String, Double> p : pending) {
            xs.add(unit(p));
            ys.add(worst);
        }
        GaussianProcess gp = GaussianProcess.fit(xs.toArray(double[][]::new),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
        return values(maximiseEi(gp, best, random));
    }

    private double[] maximiseEi(GaussianProcess gp, double best, SplittableRandom random) {
        int n = settings.candidates();
        double[][] candidates = new double[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            candidates[i] = randomPoint(random);
            scores[i] = ei(gp, candidates[i], best);
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        double[] chosen = candidates[order[0]];
        double chosenScore = scores[order[0]];
        for (int r = 0; r < Math.min(settings.refined(), n); r++) {
            double[] point = candidates[order[r]].clone();
            double score = refine(gp, best, point, scores[order[r]]);
            if (score > chosenScore) {
                chosen = point;
                chosenScore = score;
            }
        }
        return chosen;
    }

    /** Pattern search from {@code point} (updated in place); returns its final EI. */
    private double refine(GaussianProcess gp, double best, double[] point, double score) {
        double step = 0.05;
        while (step > 1e-3) {
            boolean moved = false;
            for (int d = 0; d < point.length; d++) {
                for (double sign : new double[] {1, -1}) {
                    double[] trial = point.clone();
                    trial[d] = Math.max(0, Math.min(1, trial[d] + sign * step));
                    double s = ei(gp, snap(trial), best);
                    if (s > score) {
                        System.arraycopy(trial, 0, point, 0, point.length);
                        score = s;
                        moved = true;
                    }
                }
            }
            if (!moved) {
                step /= 2;
            }
        }
        return score;
    }

    private double ei(GaussianProcess gp, double[] point, double best) {
        double[] posterior = gp.predict(point);
        return ExpectedImprovement.of(posterior[0], posterior[1], best, settings.xi());
    }

    private double[] randomPoint(SplittableRandom random) {
        double[] u = new double[dimensions.size()];
        for (int d = 0; d < u.length; d++) {
            u[d] = random.nextDouble();
        }
        return snap(u);
    }

    /** The unit point of the values a point maps to (integer ranges rounded). */
    private double[] snap(double[] u) {
        double[] s = new double[u.length];
        for (int d = 0; d < u.length; d++) {
            Dimension dim = dimensions.get(d);
            s[d] = dim.toUnit(dim.fromUnit(u[d]));
        }
        return s;
    }

    private double[] unit(Map<String, Double> values) {
        double[] u = new double[dimensions.size()];
        for (int d = 0; d < u.length; d++) {
            Dimension dim = dimensions.get(d);
            Double v = values.get(dim.name());
            if (v == null) {
                throw new IllegalArgumentException("no value for " + dim.name() + " in " + values);
            }
            u[d] = dim.toUnit(v);
        }
        return u;
    }

    private Map<String, Double> values(double[] u) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int d = 0; d < u.length; d++) {
            values.put(dimensions.get(d).name(), dimensions.get(d).fromUnit(u[d]));
        }
        return values;
    }

    /** A well-mixed 64-bit seed for (seed, trial) (SplitMix64's finaliser). */
    static long mix(long seed, int trial) {
        long z = seed * 0x9E3779B97F4A7C15L + trial + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
