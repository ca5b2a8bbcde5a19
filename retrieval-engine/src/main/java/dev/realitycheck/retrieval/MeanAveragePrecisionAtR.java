package dev.realitycheck.retrieval;

import dev.realitycheck.knn.RankedRelevance;
import java.util.Arrays;

/**
 * MAP@R, the paper's primary metric: {@code (1/R) * sum_{i<=R} P(i) * rel(i)}, where P(i) is the
 * precision among the i nearest references. Unlike R-Precision it rewards relevant references
 * ranked first within the top R.
 *
 * <p>Computed per run of relevant ranks, not per rank: a run {@code [s, e)} after {@code h}
 * relevant ranks adds {@code sum_{i=s+1..e} (h + i - s) / i}, which with {@code m = s - h} misses
 * before it is {@code (e - s) - m * (H(e) - H(s))} (H the harmonic numbers, a table shared by all
 * instances). A run with no miss before it adds exactly {@code e - s}; runs of at most
 * {@value #DIRECT_RUN} ranks are summed rank by rank as before. So large-k queries cost their
 * runs, not R divisions; the closed form only rounds differently (below 1e-12 on a value).
 */
public final class MeanAveragePrecisionAtR implements RetrievalMetric {

    /** Runs this short are summed rank by rank (exactly the plain definition's additions). */
    static final int DIRECT_RUN = 8;

    /** {@code harmonic[i]} = 1 + 1/2 + ... + 1/i, grown on demand, always summed in that order. */
    private static volatile double[] harmonic = {0.0};

    @Override
    public String name() {
        return "mean_average_precision_at_r";
    }

    @Override
    public int neighboursNeeded(int r) {
        return r;
    }

    @Override
    public double value(RankedRelevance relevant, int r) {
        int n = Math.min(r, relevant.count());
        double[] h = harmonicUpTo(n);
        int hits = 0;
        double sum = 0;
        for (int i = 0; i < relevant.runs() && relevant.start(i) < n; i++) {
            int start = relevant.start(i);
            int end = Math.min(relevant.end(i), n);
            int misses = start - hits;
            if (misses == 0) {
                sum += end - start; // precision 1 at each of its ranks
                hits = end;
            } else if (end - start <= DIRECT_RUN) {
                for (int p = start; p < end; p++) {
                    hits++;
                    sum += (double) hits / (p + 1);
                }
            } else {
                sum += (end - start) - misses * (h[end] - h[start]);
                hits += end - start;
            }
        }
        return sum / r;
    }

    /** The harmonic table with at least {@code n + 1} entries. */
    private static double[] harmonicUpTo(int n) {
        double[] h = harmonic;
        if (h.length > n) {
            return h;
        }
        synchronized (MeanAveragePrecisionAtR.class) {
            h = harmonic;
            if (h.length <= n) {
                int filled = h.length;
                h = Arrays.copyOf(h, Math.max(n + 1, 2 * filled));
                for (int i = filled; i < h.length; i++) {
                    h[i] = h[i - 1] + 1.0 / i;
                }
                harmonic = h;
            }
            return h;
        }
    }
}
