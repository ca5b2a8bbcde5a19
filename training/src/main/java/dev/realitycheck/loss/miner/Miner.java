package dev.realitycheck.loss.miner;

import dev.realitycheck.loss.Tuples;
import dev.realitycheck.loss.distance.Distance;

/**
 * Chooses which pairs or triplets of a batch a loss should use, from the labels and the current
 * embeddings, as pytorch-metric-learning's miners do. Mining is not differentiated, so it runs in
 * plain Java on the embeddings the network just produced (a trainer fetches them, mines, then feeds
 * the tuples to the loss graph through {@link dev.realitycheck.loss.TupleIndices#placeholders}).
 *
 * <p>Tuples come out in row-major order: by anchor, then by the other indices ascending.
 */
public interface Miner {

    /**
     * @param embeddings {@code B * dim} values, row-major
     * @param dim        the embedding size
     * @param labels     {@code B} class labels
     * @return the selected tuples (possibly none)
     */
    Tuples mine(float[] embeddings, int dim, int[] labels);

    /** @return the distance the miner ranks by */
    Distance distance();

    /** Checks that {@code labels} matches the batch; returns the distance matrix. */
    static double[] matrix(Distance distance, float[] embeddings, int dim, int[] labels) {
        int b = Distance.batchSize(embeddings, dim);
        if (labels.length != b) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries for a batch of " + b);
        }
        return distance.matrix(embeddings, dim);
    }
}
