package dev.realitycheck.knn;

/**
 * Receives each query's nearest references, best first, as soon as they are final. Called from
 * several worker threads at once, but never twice for the same query; the arrays are reused
 * after the call returns, so copy what you keep.
 */
@FunctionalInterface
public interface NeighbourSink {

    /**
     * @param query   query row index
     * @param indices reference row indices, closest first (exact ties: ascending index)
     * @param scores  cosine similarity ({@link KnnDistance#COSINE}) or Euclidean distance
     *                ({@link KnnDistance#EUCLIDEAN}) of each neighbour
     * @param count   number of valid entries in {@code indices} and {@code scores}
     */
    void accept(int query, int[] indices, float[] scores, int count);
}
