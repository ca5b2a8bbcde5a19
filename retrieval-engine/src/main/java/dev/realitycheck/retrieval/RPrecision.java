package dev.realitycheck.retrieval;

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
    public double value(boolean[] relevant, int count, int r) {
        int hits = 0;
        for (int i = 0, n = Math.min(r, count); i < n; i++) {
            if (relevant[i]) {
                hits++;
            }
        }
        return (double) hits / r;
    }
}
