package dev.realitycheck.retrieval;

import dev.realitycheck.knn.RankedRelevance;

/**
 * Recall@K: 1 when at least one of the K nearest references has the query's label, else 0
 * (K capped at the number of references a query can rank).
 *
 * @param k the K, at least 1
 */
public record RecallAtK(int k) implements RetrievalMetric {

    /** Prefix of every Recall@K name; the K follows it ({@code recall_at_4}). */
    public static final String PREFIX = "recall_at_";

    public RecallAtK {
        if (k < 1) {
            throw new IllegalArgumentException("recall K must be >= 1, got " + k);
        }
    }

    @Override
    public String name() {
        return PREFIX + k;
    }

    @Override
    public int neighboursNeeded(int r) {
        return k;
    }

    @Override
    public double value(RankedRelevance relevant, int r) {
        return relevant.runs() > 0 && relevant.start(0) < k ? 1.0 : 0.0;
    }
}
