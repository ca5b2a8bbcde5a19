package dev.realitycheck.knn;

/**
 * Receives, for each query, only which of its nearest references share its label, best first:
 * all that rank metrics such as MAP@R and R-Precision read. It lets the large-k path skip
 * ordering the neighbours themselves ({@link ExactKnn#searchSelf(Embeddings, int[], int, RelevanceSink)}).
 * Called from several worker threads at once, never twice for the same query; the ranking is
 * reused after the call returns.
 */
@FunctionalInterface
public interface RelevanceSink {

    /**
     * @param query    query row index
     * @param relevant which ranks of the query's nearest references (exact ties: ascending index)
     *                 have the query's label
     */
    void accept(int query, RankedRelevance relevant);
}
