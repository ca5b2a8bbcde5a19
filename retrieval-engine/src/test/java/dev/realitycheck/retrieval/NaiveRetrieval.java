package dev.realitycheck.retrieval;

import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The metric definitions written as plainly as possible, in double precision: rank every
 * reference by distance (ties by index), then read the labels. The oracle for the fast engine.
 */
final class NaiveRetrieval {

    private NaiveRetrieval() {
    }

    /** Overall {P@1, R-Precision, MAP@R, Recall@k...} over non-lone queries; NaN when all are lone. */
    static double[] metrics(Embeddings q, int[] ql, Embeddings ref, int[] rl, boolean excludeSelf, KnnDistance d,
                            int... recallKs) {
        double[] sums = new double[3 + recallKs.length];
        int evaluated = 0;
        for (int i = 0; i < q.rows(); i++) {
            List<double[]> ranked = new ArrayList<>(); // {distance, index}
            for (int j = 0; j < ref.rows(); j++) {
                if (excludeSelf && i == j) {
                    continue;
                }
                ranked.add(new double[] {distance(q, i, ref, j, d), j});
            }
            ranked.sort(Comparator.<double[]>comparingDouble(x -> x[0]).thenComparingDouble(x -> x[1]));
            int r = 0;
            for (int j = 0; j < ref.rows(); j++) {
                if (rl[j] == ql[i] && !(excludeSelf && i == j)) {
                    r++;
                }
            }
            if (r == 0) {
                continue;
            }
            evaluated++;
            boolean[] rel = new boolean[ranked.size()];
            for (int n = 0; n < rel.length; n++) {
                rel[n] = rl[(int) ranked.get(n)[1]] == ql[i];
            }
            sums[0] += rel[0] ? 1 : 0;
            int hits = 0;
            double ap = 0;
            for (int n = 0; n < r; n++) {
                if (rel[n]) {
                    hits++;
                    ap += (double) hits / (n + 1);
                }
            }
            sums[1] += (double) hits / r;
            sums[2] += ap / r;
            for (int x = 0; x < recallKs.length; x++) {
                boolean any = false;
                for (int n = 0; n < Math.min(recallKs[x], rel.length); n++) {
                    any |= rel[n];
                }
                sums[3 + x] += any ? 1 : 0;
            }
        }
        for (int x = 0; x < sums.length; x++) {
            sums[x] = evaluated == 0 ? Double.NaN : sums[x] / evaluated;
        }
        return sums;
    }

    private static double distance(Embeddings a, int i, Embeddings b, int j, KnnDistance d) {
        double dot = 0, na = 0, nb = 0, sq = 0;
        for (int c = 0; c < a.dim(); c++) {
            double x = a.get(i, c), y = b.get(j, c);
            dot += x * y;
            na += x * x;
            nb += y * y;
            sq += (x - y) * (x - y);
        }
        return d == KnnDistance.EUCLIDEAN ? Math.sqrt(sq) : -dot / Math.sqrt(na) / Math.sqrt(nb);
    }
}
