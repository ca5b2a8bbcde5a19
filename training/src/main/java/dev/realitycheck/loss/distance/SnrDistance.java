package dev.realitycheck.loss.distance;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * The signal-to-noise-ratio distance (Yuan et al. 2019), as pytorch-metric-learning's
 * {@code SNRDistance}: {@code var(x_i - x_j) / var(x_i)}, the variances over the embedding
 * dimensions (Bessel's factor cancels in the ratio), by default between L2-normalised rows. Not
 * symmetric. Builds a {@code [B, B, D]} tensor of differences.
 *
 * @param normalizeEmbeddings whether rows are L2-normalised first (PML's default: true)
 */
public record SnrDistance(boolean normalizeEmbeddings) implements Distance {

    /** PML's default: normalised embeddings. */
    public SnrDistance() {
        this(true);
    }

    @Override
    public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> embeddings) {
        Operand<TFloat32> x = normalizeEmbeddings ? Rows.l2Normalize(tf, embeddings) : embeddings;
        Operand<TFloat32> differences = tf.math.sub(tf.expandDims(x, tf.constant(1)), tf.expandDims(x, tf.constant(0)));
        Operand<TFloat32> noise = centredSquares(tf, differences, 2); // [B, B]
        Operand<TFloat32> signal = centredSquares(tf, x, 1); // [B]
        return tf.math.div(noise, tf.expandDims(signal, tf.constant(1)));
    }

    private static Operand<TFloat32> centredSquares(Ops tf, Operand<TFloat32> x, int axis) {
        Operand<TFloat32> mean = tf.math.mean(x, tf.constant(axis), org.tensorflow.op.math.Mean.keepDims(true));
        return tf.reduceSum(tf.math.square(tf.math.sub(x, mean)), tf.constant(axis), ReduceSum.keepDims(false));
    }

    @Override
    public double[] matrix(float[] embeddings, int dim) {
        double[] x = Rows.rows(embeddings, dim, normalizeEmbeddings);
        int b = x.length / dim;
        double[] out = new double[b * b];
        double[] difference = new double[dim];
        for (int i = 0; i < b; i++) {
            double signal = centredSquares(x, i * dim, dim);
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < dim; k++) {
                    difference[k] = x[i * dim + k] - x[j * dim + k];
                }
                out[i * b + j] = centredSquares(difference, 0, dim) / signal;
            }
        }
        return out;
    }

    private static double centredSquares(double[] x, int from, int dim) {
        double mean = 0;
        for (int k = 0; k < dim; k++) {
            mean += x[from + k];
        }
        mean /= dim;
        double s = 0;
        for (int k = 0; k < dim; k++) {
            s += (x[from + k] - mean) * (x[from + k] - mean);
        }
        return s;
    }

    @Override
    public boolean isInverted() {
        return false;
    }
}
