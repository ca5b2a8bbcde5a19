package dev.realitycheck.retrieval;

/**
 * MAP@R, the paper's primary metric: {@code (1/R) * sum_{i<=R} P(i) * rel(i)}, where P(i) is the
 * precision among the i nearest references. Unlike R-Precision it rewards relevant references
 * ranked first within the top R.
 */
public final class MeanAveragePrecisionAtR implements RetrievalMetric {

    @Override
    public String name() {
        return "mean_average_precision_at_r";
    }

    @Override
    public int neighboursNeeded(int r) {
        return r;
    }

    @Override
    public double value(boolean[] relevant, int count, int r) {
        int hits = 0;
        double sum = 0;
        for (int i = 0, n = Math.min(r, count); i < n; i++) {
            if (relevant[i]) {
                hits++;
                sum += (double) hits / (i + 1);
            }
        }
        return sum / r;
    }
}
