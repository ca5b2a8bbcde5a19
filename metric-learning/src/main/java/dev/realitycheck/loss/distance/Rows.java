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
        return tf.linalg.matMul(x, x, MatMul.transposeB(true));
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

    /** Plain-Java {@code x · xᵀ}. */
    static double[] gram(double[] x, int dim) {
        int b = x.length / dim;
        double[] out = new double[b * b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += x[i * dim + k] * x[j * dim + k];
                }
                out[i * b + j] = s;
            }
        }
        return out;
    }
}
