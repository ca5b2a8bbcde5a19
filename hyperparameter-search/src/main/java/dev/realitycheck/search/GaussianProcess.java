package dev.realitycheck.search;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * A Gaussian-process regression posterior: zero-mean prior on standardised targets (the observed
 * mean and standard deviation are put back in predictions), {@link Matern52} kernel, Gaussian
 * observation noise. Solved by a Cholesky factorisation (commons-math3) of {@code K + σₙ² I}.
 *
 * <p>{@link #fit(double[][], double[])} chooses the length scales and the noise by maximising the
 * log marginal likelihood (with a weak log-normal prior on the length scales, so a handful of
 * points cannot push them to extremes) over a fixed grid: an isotropic pass, then per-dimension
 * coordinate passes. A grid keeps the fit deterministic and cheap for the tens of points a
 * hyperparameter search has.
 */
public final class GaussianProcess {

    /** Length scales tried, in unit-cube coordinates. */
    static final double[] LENGTH_SCALES = {0.04, 0.07, 0.1, 0.15, 0.2, 0.3, 0.45, 0.7, 1.0, 1.5, 2.5};
    /** Noise variances tried, relative to the standardised targets' unit variance. */
    static final double[] NOISES = {1e-6, 1e-4, 1e-3, 1e-2, 0.05, 0.2};
    /** Added to the diagonal whatever the noise, for a numerically safe factorisation. */
    private static final double JITTER = 1e-9;
    /** Centre of the length-scale prior (log-normal, σ = 1 in log space). */
    private static final double PRIOR_LENGTH_SCALE = 0.3;

    private final double[][] x;
    private final Matern52 kernel;
    private final double noise;
    private final double yMean;
    private final double yScale;
    private final RealMatrix lower;
    private final RealVector alpha;
    private final double logMarginalLikelihood;

    private GaussianProcess(double[][] x, double[] y, Matern52 kernel, double noise) {
        int n = x.length;
        this.x = x;
        this.kernel = kernel;
        this.noise = noise;
        double mean = Arrays.stream(y).average().orElse(0);
        double var = Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, n);
        this.yMean = mean;
        this.yScale = var > 1e-24 ? Math.sqrt(var) : 1;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                k[i][j] = k[j][i] = kernel.covariance(x[i], x[j]);
            }
            k[i][i] += noise + JITTER;
        }
        CholeskyDecomposition cholesky;
        try {
            cholesky = new CholeskyDecomposition(new Array2DRowRealMatrix(k, false), 1e-12, 1e-14);
        } catch (NonPositiveDefiniteMatrixException e) {
            throw new IllegalStateException("kernel matrix not positive definite (duplicate points without noise?)", e);
        }
        this.lower = cholesky.getL();
        RealVector z = new ArrayRealVector(n);
        for (int i = 0; i < n; i++) {
            z.setEntry(i, (y[i] - yMean) / yScale);
        }
        this.alpha = cholesky.getSolver().solve(z);
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            logDet += Math.log(lower.getEntry(i, i));
        }
        this.logMarginalLikelihood = -0.5 * z.dotProduct(alpha) - logDet - 0.5 * n * Math.log(2 * Math.PI);
    }

    /**
     * The posterior for fixed kernel and noise.
     *
     * @param x      points, each of the kernel's dimension (unit-cube coordinates)
     * @param y      observed values, one per point, finite
     * @param kernel the kernel
     * @param noise  noise variance relative to the standardised targets, {@code >= 0}
     */
    public static GaussianProcess fit(double[][] x, double[] y, Matern52 kernel, double noise) {
        check(x, y);
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise must be >= 0 and finite, was " + noise);
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != kernel.lengthScales().length) {
                throw new IllegalArgumentException("x[" + i + "] has " + x[i].length + " dimensions, the kernel "
                        + kernel.lengthScales().length);
            }
        }
        return new GaussianProcess(deepCopy(x), y.clone(), kernel, noise);
    }

    /**
     * The posterior with length scales and noise chosen by (penalised) marginal likelihood over
     * {@link #LENGTH_SCALES} x {@link #NOISES}.
     */
    public static GaussianProcess fit(double[][] x, double[] y) {
        check(x, y);
        int dims = x[0].length;
        double[][] xs = deepCopy(x);
        double[] ys = y.clone();
        GaussianProcess best = null;
        for (double l : LENGTH_SCALES) {
            for (double noise : NOISES) {
                best = better(best, xs, ys, Matern52.isotropic(dims, l), noise);
            }
        }
        if (dims > 1) {
            for (int pass = 0; pass < 2; pass++) {
                for (int d = 0; d < dims; d++) {
                    double[] scales = best.kernel.lengthScales();
                    for (double l : LENGTH_SCALES) {
                        scales[d] = l;
                        best = better(best, xs, ys, new Matern52(scales), best.noise);
                    }
                }
            }
        }
        return best;
    }

    private static GaussianProcess better(GaussianProcess best, double[][] x, double[] y, Matern52 kernel, double noise) {
        GaussianProcess candidate;
        try {
            candidate = new GaussianProcess(x, y, kernel, noise);
        } catch (IllegalStateException e) {
            return best;
        }
        return best == null || candidate.penalisedLikelihood() > best.penalisedLikelihood() ? candidate : best;
    }

    private double penalisedLikelihood() {
        double prior = 0;
        for (double l : kernel.lengthScales()) {
            double z = Math.log(l / PRIOR_LENGTH_SCALE);
            prior -= 0.5 * z * z;
        }
        return logMarginalLikelihood + prior;
    }

    private static void check(double[][] x, double[] y) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need at least one point and one value per point, got " + x.length
                    + " points and " + y.length + " values");
        }
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("y[" + i + "] must be finite, was " + y[i]);
            }
            if (x[i].length != x[0].length) {
                throw new IllegalArgumentException("x[" + i + "] has " + x[i].length + " dimensions, x[0] " + x[0].length);
            }
        }
    }

    private static double[][] deepCopy(double[][] x) {
        double[][] copy = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            copy[i] = x[i].clone();
        }
        return copy;
    }

    /** The chosen kernel. */
    public Matern52 kernel() {
        return kernel;
    }

    /** The chosen noise variance (relative to the standardised targets). */
    public double noise() {
        return noise;
    }

    /** The log marginal likelihood of the standardised targets. */
    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /**
     * The posterior of the latent function at a point.
     *
     * @return {mean, standard deviation}, in the targets' units
     */
    public double[] predict(double[] point) {
        int n = x.length;
        double[] k = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = kernel.covariance(point, x[i]);
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += k[i] * alpha.getEntry(i);
        }
        // v = L^-1 k by forward substitution; variance = k(x,x) - v.v
        double[] v = new double[n];
        double vv = 0;
        for (int i = 0; i < n; i++) {
            double s = k[i];
            for (int j = 0; j < i; j++) {
                s -= lower.getEntry(i, j) * v[j];
            }
            v[i] = s / lower.getEntry(i, i);
            vv += v[i] * v[i];
        }
        double variance = Math.max(0, 1 - vv);
        return new double[] {yMean + yScale * mean, yScale * Math.sqrt(variance)};
    }
}
