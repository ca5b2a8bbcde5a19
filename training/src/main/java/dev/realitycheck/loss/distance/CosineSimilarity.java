package dev.realitycheck.loss.distance;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The cosine similarity {@code x_i·x_j / (|x_i| |x_j|)}: a similarity ({@link #isInverted()} is
 * true), in {@code [-1, 1]}. pytorch-metric-learning's {@code CosineSimilarity}; a row of norm
 * below {@code 1e-12} is divided by {@code 1e-12} instead.
 */
public record CosineSimilarity() implements Distance {

    @Override
    public Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> embeddings) {
        return Rows.gram(tf, Rows.l2Normalize(tf, embeddings));
    }

    @Override
    public double[] matrix(float[] embeddings, int dim) {
        return Rows.gram(Rows.rows(embeddings, dim, true), dim);
    }

    @Override
    public boolean isInverted() {
        return true;
    }
}
