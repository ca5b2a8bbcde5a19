package dev.realitycheck.search;

import org.apache.commons.math3.special.Erf;

/**
 * Expected improvement over the best value so far, for maximisation:
 * {@code EI = (μ - best - ξ) Φ(z) + σ φ(z)}, {@code z = (μ - best - ξ) / σ}; zero where the
 * posterior is certain and not better.
 */
public final class ExpectedImprovement {

    private static final double SQRT2 = Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private ExpectedImprovement() {
    }

    /**
     * @param mean  posterior mean
     * @param std   posterior standard deviation, {@code >= 0}
     * @param best  best observed value
     * @param xi    exploration margin, {@code >= 0}
     * @return the expected improvement, {@code >= 0}
     */
    public static double of(double mean, double std, double best, double xi) {
        double gain = mean - best - xi;
        if (std <= 1e-12) {
            return Math.max(0, gain);
        }
        double z = gain / std;
        double cdf = 0.5 * Erf.erfc(-z / SQRT2);
        double pdf = INV_SQRT_2PI * Math.exp(-0.5 * z * z);
        return Math.max(0, gain * cdf + std * pdf);
    }
}
