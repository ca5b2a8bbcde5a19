package dev.realitycheck.retrieval;

import dev.realitycheck.knn.RankedRelevance;

/** Precision@1 (= Recall@1): 1 when the nearest reference has the query's label, else 0. */
public final class PrecisionAtOne implements RetrievalMetric {

    @Override
    public String name() {
        return "precision_at_1";
    }

    @Override
    public int neighboursNeeded(int r) {
        return 1;
    }

    @Override
    public double value(RankedRelevance relevant, int r) {
        return relevant.runs() > 0 && relevant.start(0) == 0 ? 1.0 : 0.0;
    }
}
