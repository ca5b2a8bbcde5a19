package dev.realitycheck.loss.distance;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The Euclidean distance {@code ||x_i - x_j||^power} (pytorch-metric-learning's {@code LpDistance}
 * with {@code p = 2}), by default between L2-normalised rows.
 *
 * <p>Computed as {@code sqrt(|x_i|² + |x_j|² - 2 x_i·x_j)}, the squared distance clamped at 0.
 * The square root has an infinite derivative at 0 (every diagonal entry, and duplicate rows):
 * where the squared distance is 0 the distance is 0 with gradient 0 (a "safe sqrt": the root is
 * taken of 1 there and the result masked), so no NaN or infinity reaches the embeddings.
 *
 * @param p                   the norm; only 2 is supported
 * @param normalizeEmbeddings whether rows are L2-normalised first (PML's default: true)
 * @param power               the exponent of the distance, positive (default 1)
 */
public record LpDistance(int p, boolean normalizeEmbeddings, double power) implements Distance {

    /** Validates {@code p} and {@code power}. */
    public LpDistance {
        if (p != 2) {
            throw new IllegalArgumentException("only p = 2 is supported, was " + p);
        }
        if (!(power > 0) || !Double.isFinite(power)) {
            throw new IllegalArgumentException("power must be positive and finite, was " + power);
        }
    }

    /** PML's defaults: {@code p = 2}, normalised embeddings, power 1. */
    public LpDistance() {
        this(2, true, 1);
    }

    @Override
    public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> embeddings) {
        Operand<TFloat32> x = normalizeEmbeddings ? Rows.l2Normalize(tf, embeddings) : embeddings;
        Operand<TFloat32> squaredNorms = tf.reduceSum(tf.math.square(x), tf.constant(1), ReduceSum.keepDims(true));
        // -2 x xᵀ as (-2 x) xᵀ: scaling by a power of two is exact, so the values are those of
        // 2 (x xᵀ) subtracted, with the multiply on [B, D] instead of [B, B] (forward and backward)
        Operand<TFloat32> squared = tf.math.add(
                tf.math.add(squaredNorms, tf.linalg.transpose(squaredNorms, tf.constant(new int[] {1, 0}))),
                Rows.gram(tf, x, -2f));
        // scalar constants, broadcast by Maximum, Greater and SelectV2: no [B, B] tensors of zeros
        Operand<TFloat32> zero = tf.constant(0f);
        Operand<TFloat32> clamped = tf.math.maximum(squared, zero);
        Operand<TBool> positive = tf.math.greater(clamped, zero);
        Operand<TFloat32> safe = tf.select(positive, clamped, tf.constant(1f));
        Operand<TFloat32> distance = tf.select(positive, tf.math.sqrt(safe), zero);
        return power == 1 ? distance : tf.math.pow(distance, tf.constant((float) power));
    }

    @Override
    public double[] matrix(float[] embeddings, int dim) {
        double[] x = Rows.rows(embeddings, dim, normalizeEmbeddings);
        int b = x.length / dim;
        double[] out = new double[b * b]; // the diagonal stays 0
        // symmetric: each pair once; four partial sums break the add chain (a miner's hot loop)
        for (int i = 0; i < b; i++) {
            int ri = i * dim;
            for (int j = i + 1; j < b; j++) {
                int rj = j * dim;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int k = 0;
                for (; k + 3 < dim; k += 4) {
                    double d0 = x[ri + k] - x[rj + k];
                    double d1 = x[ri + k + 1] - x[rj + k + 1];
                    double d2 = x[ri + k + 2] - x[rj + k + 2];
                    double d3 = x[ri + k + 3] - x[rj + k + 3];
                    s0 += d0 * d0;
                    s1 += d1 * d1;
                    s2 += d2 * d2;
                    s3 += d3 * d3;
                }
                for (; k < dim; k++) {
                    double d = x[ri + k] - x[rj + k];
                    s0 += d * d;
                }
                double distance = Math.sqrt((s0 + s1) + (s2 + s3));
                double v = power == 1 ? distance : Math.pow(distance, power);
                out[i * b + j] = v;
                out[j * b + i] = v;
            }
        }
        return out;
    }

    @Override
    public boolean isInverted() {
        return false;
    }
}
