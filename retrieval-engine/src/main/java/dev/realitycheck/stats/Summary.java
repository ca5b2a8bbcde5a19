package dev.realitycheck.stats;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Mean of repeated measurements (seeds, folds) with its 95% confidence interval from Student's t
 * with n-1 degrees of freedom, as the paper reports every number.
 *
 * @param mean              arithmetic mean
 * @param stddev            sample standard deviation (n-1), absent when n < 2
 * @param ci95HalfWidth     half-width of the 95% confidence interval of the mean, absent when n < 2
 * @param n                 number of values
 */
public record Summary(double mean, OptionalDouble stddev, OptionalDouble ci95HalfWidth, int n) {

    public Summary {
        if (n < 1) {
            throw new IllegalArgumentException("a summary needs at least one value, got n = " + n);
        }
    }

    /** Summarises the finite values of {@code values} (NaN = undefined, skipped); empty if none. */
    public static java.util.Optional<Summary> of(double... values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
        int n = v.length;
        if (n == 0) {
            return java.util.Optional.empty();
        }
        double mean = Arrays.stream(v).sum() / n;
        if (n == 1) {
            return java.util.Optional.of(new Summary(mean, OptionalDouble.empty(), OptionalDouble.empty(), 1));
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = new StudentT(n - 1).quantile(0.975);
        return java.util.Optional.of(new Summary(mean, OptionalDouble.of(sd), OptionalDouble.of(t * sd / Math.sqrt(n)), n));
    }
}
