package dev.realitycheck.retrieval;

/**
 * MAP@R, R-Precision, P@1 and Recall@K written rank by rank over one flag per rank, as the
 * metrics computed them before they read runs ({@link dev.realitycheck.knn.RankedRelevance}):
 * the definitions the run-based metrics are tested against, and the "before" of the large-k
 * benchmark.
 */
public final class RankByRank {

    private RankByRank() {
    }

    /**
     * {MAP@R, R-Precision, P@1, Recall@recallK} of {@code relevant[0, count)} for a query with
     * {@code r} relevant references.
     */
    public static double[] metrics(boolean[] relevant, int count, int r, int recallK) {
        int hits = 0;
        double ap = 0;
        for (int i = 0; i < Math.min(r, count); i++) {
            if (relevant[i]) {
                hits++;
                ap += (double) hits / (i + 1);
            }
        }
        boolean recall = false;
        for (int i = 0; i < Math.min(recallK, count); i++) {
            recall |= relevant[i];
        }
        return new double[] {ap / r, (double) hits / r, count > 0 && relevant[0] ? 1 : 0, recall ? 1 : 0};
    }
}
