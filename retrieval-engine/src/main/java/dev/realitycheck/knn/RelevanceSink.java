package dev.realitycheck.knn;

/**
 * Receives, for each query, only whether each of its nearest references shares its label, best
 * first: all that rank metrics such as MAP@R and R-Precision read. It lets the large-k path skip
 * ordering the neighbours themselves ({@link ExactKnn#searchSelf(Embeddings, int[], int, RelevanceSink)}).
 * Called from several worker threads at once, never twice for the same query; the array is reused
 * after the call returns.
 */
@FunctionalInterface
public interface RelevanceSink {

    /**
     * @param query    query row index
     * @param relevant {@code relevant[i]}: the (i+1)-th nearest reference (exact ties: ascending
     *                 index) has the query's label
     * @param count    number of valid entries in {@code relevant}
     */
    void accept(int query, boolean[] relevant, int count);
}
