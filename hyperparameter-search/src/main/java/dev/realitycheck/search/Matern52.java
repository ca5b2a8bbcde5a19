package dev.realitycheck.search;

/**
 * The Matérn 5/2 kernel with one length scale per input dimension (automatic relevance
 * determination) and unit signal variance: {@code k(r) = (1 + √5 r + 5r²/3) exp(-√5 r)} with
 * {@code r² = Σ ((a_i - b_i) / l_i)²}. Twice differentiable, the usual choice for Bayesian
 * optimisation of hyperparameters (Snoek et al., 2012).
 *
 * @param lengthScales one positive length scale per dimension, in unit-cube coordinates
 */
public record Matern52(double[] lengthScales) {

    private static final double SQRT5 = Math.sqrt(5);

    /** Checks every length scale is positive and finite. */
    public Matern52 {
        lengthScales = lengthScales.clone();
        for (int i = 0; i < lengthScales.length; i++) {
            if (!(lengthScales[i] > 0) || !Double.isFinite(lengthScales[i])) {
                throw new IllegalArgumentException("lengthScales[" + i + "] must be positive and finite, was "
                        + lengthScales[i]);
            }
        }
    }

    /** The same length scale in every one of {@code dims} dimensions. */
    public static Matern52 isotropic(int dims, double lengthScale) {
        double[] l = new double[dims];
        java.util.Arrays.fill(l, lengthScale);
        return new Matern52(l);
    }

    @Override
    public double[] lengthScales() {
        return lengthScales.clone();
    }

    /** The covariance of two points (1 when they coincide). */
    public double covariance(double[] a, double[] b) {
        double r2 = 0;
        for (int i = 0; i < lengthScales.length; i++) {
            double d = (a[i] - b[i]) / lengthScales[i];
            r2 += d * d;
        }
        double r = Math.sqrt(r2);
        return (1 + SQRT5 * r + 5 * r2 / 3) * Math.exp(-SQRT5 * r);
    }
}
