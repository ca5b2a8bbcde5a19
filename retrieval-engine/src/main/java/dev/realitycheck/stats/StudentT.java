package dev.realitycheck.stats;

/**
 * Student's t distribution with {@code df} degrees of freedom: its distribution function and its
 * quantiles, as {@link Summary}'s confidence intervals need them.
 *
 * <p>Written here, not taken from a library, because the retrieval engine depends on nothing beyond
 * the JDK. The distribution function is the regularized incomplete beta function,
 * {@code P(T <= t) = 1 - I_x(df/2, 1/2) / 2} with {@code x = df / (df + t^2)} for {@code t >= 0},
 * evaluated by its continued fraction (modified Lentz) with the Lanczos log-gamma; the quantile
 * inverts it by bisection to double precision. {@code StudentTTest} checks both against Apache
 * Commons Math over 1 to 10,000 degrees of freedom.
 *
 * @param df degrees of freedom, positive and finite
 */
public record StudentT(double df) {

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    public StudentT {
        if (!(df > 0) || Double.isInfinite(df)) {
            throw new IllegalArgumentException("degrees of freedom must be positive and finite, got " + df);
        }
    }

    /** @return P(T <= t) */
    public double cdf(double t) {
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** @return the t with P(T <= t) = p, for p in (0, 1) */
    public double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability must lie in (0, 1), got " + p);
        }
        if (p < 0.5) {
            return -quantile(1 - p);
        }
        double lo = 0;
        double hi = 1;
        while (cdf(hi) < p) {
            lo = hi;
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > Math.ulp(hi); i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** I_x(a, b), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
        return x < (a + 1) / (a + b + 2)
                ? front * continuedFraction(x, a, b) / a
                : 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            for (int half = 0; half < 2; half++) {
                double num = half == 0
                        ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                        : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
                d = 1 + num * d;
                d = 1 / (Math.abs(d) < tiny ? tiny : d);
                c = 1 + num / c;
                c = Math.abs(c) < tiny ? tiny : c;
                h *= d * c;
                if (half == 1 && Math.abs(d * c - 1) < 1e-16) {
                    return h;
                }
            }
        }
        return h;
    }

    private static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** Lanczos approximation (g = 7, 9 terms), relative error below 1e-15 for x > 0. */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
