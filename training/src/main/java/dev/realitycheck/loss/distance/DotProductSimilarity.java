package dev.realitycheck.loss.distance;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The dot product {@code x_i·x_j}: a similarity ({@link #isInverted()} is true). As in
 * pytorch-metric-learning, rows are L2-normalised first by default, which makes it the cosine
 * similarity; without normalisation it is the raw inner product.
 *
 * @param normalizeEmbeddings whether rows are L2-normalised first (PML's default: true)
 */
public record DotProductSimilarity(boolean normalizeEmbeddings) implements Distance {

    /** PML's default: normalised embeddings. */
    public DotProductSimilarity() {
        this(true);
    }

    @Override
    public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> embeddings) {
        return Rows.gram(tf, normalizeEmbeddings ? Rows.l2Normalize(tf, embeddings) : embeddings);
    }

    @Override
    public double[] matrix(float[] embeddings, int dim) {
        return Rows.gram(Rows.rows(embeddings, dim, normalizeEmbeddings), dim);
    }

    @Override
    public boolean isInverted() {
        return true;
    }
}
