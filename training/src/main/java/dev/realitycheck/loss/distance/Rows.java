package dev.realitycheck.loss.distance;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/** Row operations shared by the distances, in the graph and in plain Java. */
final class Rows {

    /** {@code torch.nn.functional.normalize}'s epsilon: a norm below it is taken as this. */
    static final float NORM_EPSILON = 1e-12f;

    private Rows() {
    }

    /** Each row divided by {@code max(||row||, 1e-12)}. */
    static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> squared = tf.reduceSum(tf.math.square(x), tf.constant(1), ReduceSum.keepDims(true));
        Operand<TFloat32> inverse = tf.math.rsqrt(tf.math.maximum(squared, tf.constant(NORM_EPSILON * NORM_EPSILON)));
        return tf.math.mul(x, inverse);
    }

    /** {@code x · xᵀ}. */
    static Operand<TFloat32> gram(Ops tf, Operand<TFloat32> x) {
        return gram(tf, x, 1f);
    }

    /**
     * {@code (scale·x) · xᵀ}, differentiated with one matrix product instead of two. Both factors
     * are x (up to the scale), so the gradient {@code G·x + Gᵀ·x} (times the scale) is
     * {@code (G + Gᵀ)·x}: the product is taken with the right factor held constant, and its
     * gradient symmetrised on the way in ({@code p + (pᵀ - pᵀ)}, the same values as {@code p}, whose
     * gradient is {@code G + Gᵀ}). Saves a {@code [B, B] x [B, D]} product per step (about 3% of an
     * MLP 784-256-128 step at batch 256) for two cheap {@code [B, B]} transposes and adds; the
     * gradient differs from the two products' sum only in rounding.
     */
    static Operand<TFloat32> gram(Ops tf, Operand<TFloat32> x, float scale) {
        Operand<TFloat32> left = scale == 1 ? x : tf.math.mul(x, tf.constant(scale));
        Operand<TFloat32> product = tf.linalg.matMul(left, tf.stopGradient(x), MatMul.transposeB(true));
        Operand<TFloat32> transposed = tf.linalg.transpose(product, tf.constant(new int[] {1, 0}));
        return tf.math.add(product, tf.math.sub(transposed, tf.stopGradient(transposed)));
    }

    /** Plain-Java rows, normalised (when asked) to unit L2 norm, in double precision. */
    static double[] rows(float[] embeddings, int dim, boolean normalize) {
        int b = Distance.batchSize(embeddings, dim);
        double[] out = new double[embeddings.length];
        for (int i = 0; i < b; i++) {
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                norm += (double) embeddings[i * dim + k] * embeddings[i * dim + k];
            }
            double scale = normalize ? 1 / Math.max(Math.sqrt(norm), NORM_EPSILON) : 1;
            for (int k = 0; k < dim; k++) {
                out[i * dim + k] = embeddings[i * dim + k] * scale;
            }
        }
        return out;
    }

    /** Plain-Java {@code x · xᵀ} (symmetric: each pair computed once, four partial sums). */
    static double[] gram(double[] x, int dim) {
        int b = x.length / dim;
        double[] out = new double[b * b];
        for (int i = 0; i < b; i++) {
            int ri = i * dim;
            for (int j = i; j < b; j++) {
                int rj = j * dim;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int k = 0;
                for (; k + 3 < dim; k += 4) {
                    s0 += x[ri + k] * x[rj + k];
                    s1 += x[ri + k + 1] * x[rj + k + 1];
                    s2 += x[ri + k + 2] * x[rj + k + 2];
                    s3 += x[ri + k + 3] * x[rj + k + 3];
                }
                for (; k < dim; k++) {
                    s0 += x[ri + k] * x[rj + k];
                }
                double s = (s0 + s1) + (s2 + s3);
                out[i * b + j] = s;
                out[j * b + i] = s;
            }
        }
        return out;
    }
}
