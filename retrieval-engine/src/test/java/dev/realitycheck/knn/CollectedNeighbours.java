package dev.realitycheck.knn;

import java.util.Arrays;

/** A {@link NeighbourSink} for tests: keeps every query's neighbours and scores, as delivered. */
final class CollectedNeighbours implements NeighbourSink {
    final int[][] indices;
    final float[][] scores;

    CollectedNeighbours(int queries) {
        indices = new int[queries][];
        scores = new float[queries][];
    }

    @Override
    public void accept(int query, int[] idx, float[] sc, int count) {
        indices[query] = Arrays.copyOf(idx, count);
        scores[query] = Arrays.copyOf(sc, count);
    }
}
