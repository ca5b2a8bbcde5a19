package dev.realitycheck.loss.distance;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A pairwise distance (or similarity) between the rows of a batch of embeddings, built twice: as
 * TensorFlow graph ops (differentiated by the trainer) and in plain Java (for miners, which are not
 * differentiated).
 *
 * <p>As in pytorch-metric-learning, a distance may be <em>inverted</em>: a similarity, where larger
 * means closer (cosine, dot product). Losses and miners ask {@link #isInverted()} and use
 * {@link #margin} so the same formula works for both kinds.
 */
public interface Distance {

    /**
     * @param tf         the graph builder
     * @param embeddings {@code [B, D]}
     * @return the {@code [B, B]} matrix of distances (or similarities) between all rows
     */
    Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> embeddings);

    /**
     * The same matrix in plain Java, in double precision.
     *
     * @param embeddings {@code B * dim} values, row-major
     * @param dim        the embedding size, positive and dividing {@code embeddings.length}
     * @return {@code B * B} values, row-major
     */
    double[] matrix(float[] embeddings, int dim);

    /** @return true for a similarity (larger = closer), false for a distance (smaller = closer) */
    boolean isInverted();

    /**
     * pytorch-metric-learning's {@code distance.margin(x, y)}: {@code x - y} for a distance,
     * {@code y - x} for a similarity, i.e. how much "farther" {@code x} is than {@code y}.
     */
    default Operand<TFloat32> margin(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
        return isInverted() ? tf.math.sub(y, x) : tf.math.sub(x, y);
    }

    /** The plain-Java {@link #margin(Ops, Operand, Operand)}. */
    default double margin(double x, double y) {
        return isInverted() ? y - x : x - y;
    }

    /** Checks a plain-Java embedding array; returns the batch size. */
    static int batchSize(float[] embeddings, int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be positive, was " + dim);
        }
        if (embeddings.length % dim != 0) {
            throw new IllegalArgumentException("embeddings length " + embeddings.length + " is not a multiple of dim "
                    + dim);
        }
        return embeddings.length / dim;
    }
}
