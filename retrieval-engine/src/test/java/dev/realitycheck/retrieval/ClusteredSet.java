package dev.realitycheck.retrieval;

import dev.realitycheck.knn.Embeddings;
import java.util.Random;

/**
 * A generated query = reference set for tests that need many rows: {@code n} points around
 * {@code n / 8} Gaussian class centres (classes of 8, so R = 7 and k stays small enough for the
 * heap paths), each coordinate the centre's plus Gaussian noise of 0.8, all from one seed.
 */
public final class ClusteredSet {

    private ClusteredSet() {
    }

    /** The set of {@code n} (>= 8) x {@code dim} points drawn from {@code seed}, labels {@code i % (n / 8)}. */
    public static RetrievalTask sameSet(int n, int dim, long seed) {
        if (n < 8 || dim < 1) {
            throw new IllegalArgumentException("need n >= 8 and dim >= 1, got " + n + " x " + dim);
        }
        Random random = new Random(seed);
        float[][] centres = new float[n / 8][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        float[] values = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % centres.length;
            for (int j = 0; j < dim; j++) {
                values[i * dim + j] = centres[labels[i]][j] + (float) (0.8 * random.nextGaussian());
            }
        }
        return RetrievalTask.sameSet(new Embeddings(values, n, dim), labels);
    }
}
