package dev.realitycheck.knn;

/**
 * A search that reports relevance ({@link RelevanceSink}) instead of neighbours: the labels that
 * decide it and where it goes. Paths that order neighbours anyway (the heaps of small k) report
 * through {@link #asNeighbourSink()}; the large-k path ranks relevance directly
 * ({@link RadixTopK#rankedRelevance}).
 *
 * @param queryLabels     one label per query
 * @param referenceLabels one label per reference
 * @param sink            where each query's relevance goes
 */
record Relevance(int[] queryLabels, int[] referenceLabels, RelevanceSink sink) {

    Relevance {
        if (queryLabels == null || referenceLabels == null || sink == null) {
            throw new IllegalArgumentException("labels and sink must not be null");
        }
    }

    /** Checks the label counts against the embeddings searched. */
    void requireRows(int queries, int references) {
        if (queryLabels.length != queries || referenceLabels.length != references) {
            throw new IllegalArgumentException("got " + queryLabels.length + " query labels for " + queries
                    + " queries and " + referenceLabels.length + " reference labels for " + references
                    + " references");
        }
    }

    /** Maps ordered neighbours to their relevance. */
    NeighbourSink asNeighbourSink() {
        return (query, indices, scores, count) -> {
            boolean[] relevant = new boolean[count];
            int label = queryLabels[query];
            for (int i = 0; i < count; i++) {
                relevant[i] = referenceLabels[indices[i]] == label;
            }
            sink.accept(query, RankedRelevance.of(relevant, count));
        };
    }
}
