package dev.realitycheck.retrieval;

import dev.realitycheck.knn.RankedRelevance;

/** R-Precision: the fraction of the R nearest references that have the query's label. */
public final class RPrecision implements RetrievalMetric {

    @Override
    public String name() {
        return "r_precision";
    }

    @Override
    public int neighboursNeeded(int r) {
        return r;
    }

    @Override
    public double value(RankedRelevance relevant, int r) {
        int n = Math.min(r, relevant.count());
        int hits = 0;
        for (int i = 0; i < relevant.runs() && relevant.start(i) < n; i++) {
            hits += Math.min(relevant.end(i), n) - relevant.start(i);
        }
        return (double) hits / r;
    }
}
