package dev.realitycheck.loss;

/** Naive double-precision reference formulas: distances and pair/triplet enumeration. */
final class Naive {

    private Naive() {
    }

    static double[] normalize(double[] x, int dim) {
        double[] out = x.clone();
        for (int i = 0; i < x.length / dim; i++) {
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                norm += x[i * dim + k] * x[i * dim + k];
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int k = 0; k < dim; k++) {
                out[i * dim + k] /= norm;
            }
        }
        return out;
    }

    /** {@code [B][B]} Euclidean distances between normalised rows. */
    static double[][] euclidean(double[] x, int dim) {
        double[] y = normalize(x, dim);
        int b = x.length / dim;
        double[][] d = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    double diff = y[i * dim + k] - y[j * dim + k];
                    s += diff * diff;
                }
                d[i][j] = Math.sqrt(s);
            }
        }
        return d;
    }

    /** {@code [B][B]} cosine similarities. */
    static double[][] cosine(double[] x, int dim) {
        double[] y = normalize(x, dim);
        int b = x.length / dim;
        double[][] s = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < dim; k++) {
                    s[i][j] += y[i * dim + k] * y[j * dim + k];
                }
            }
        }
        return s;
    }

    static double relu(double x) {
        return Math.max(x, 0);
    }

    static double avgNonZero(java.util.List<Double> losses) {
        double sum = 0;
        int count = 0;
        for (double l : losses) {
            if (l > 0) {
                sum += l;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    static double mean(java.util.List<Double> losses) {
        return losses.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
