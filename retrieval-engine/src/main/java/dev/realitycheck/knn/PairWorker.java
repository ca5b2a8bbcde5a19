package dev.realitycheck.knn;

/**
 * One thread's share of the symmetric search: for a pair of row blocks (I, J) with I <= J, computes
 * the tiles of the upper triangle once and offers each score to both the row's and the column's
 * heap. Kept as a small class with plain methods so the JIT compiles the hot loop as a normal
 * method rather than an on-stack replacement inside a lambda.
 */
final class PairWorker {

    private final PanelSearch search;
    final NeighbourHeaps heaps;
    private final float[] tile;

    /** {@code search}: one set as both queries and references, nothing excluded (the diagonal is skipped here). */
    PairWorker(PanelSearch search, NeighbourHeaps heaps) {
        this.search = search;
        this.heaps = heaps;
        this.tile = new float[DotKernel.MR * search.kernel().nr()];
    }

    void blockPair(int rowStart, int colStart) {
        DotKernel kernel = search.kernel();
        Panels a = search.queries();
        Panels b = search.references();
        boolean euclid = search.euclid();
        int nr = kernel.nr();
        int n = a.rows;
        int rowEnd = Math.min(rowStart + ExactKnn.BLOCK, n);
        int colEnd = Math.min(colStart + ExactKnn.BLOCK, n);
        boolean diagonal = rowStart == colStart;
        for (int i0 = rowStart; i0 < rowEnd; i0 += DotKernel.MR) {
            int aOff = a.offset(i0 / DotKernel.MR);
            int iEnd = Math.min(i0 + DotKernel.MR, rowEnd);
            for (int j0 = colStart; j0 < colEnd; j0 += nr) {
                if (diagonal && j0 + nr - 1 <= i0) {
                    continue; // tile entirely on or below the diagonal
                }
                kernel.tile(a.data, aOff, b.data, b.offset(j0 / nr), a.dim, tile);
                int jEnd = Math.min(j0 + nr, colEnd);
                for (int i = i0; i < iEnd; i++) {
                    int jStart = diagonal ? Math.max(j0, i + 1) : j0;
                    if (euclid) {
                        euclideanRow(i, (i - i0) * nr - j0, jStart, jEnd);
                    } else {
                        cosineRow(i, (i - i0) * nr - j0, jStart, jEnd);
                    }
                }
            }
        }
    }

    private void cosineRow(int i, int t, int jStart, int jEnd) {
        NeighbourHeaps h = heaps;
        float rowThreshold = h.threshold(i);
        for (int j = jStart; j < jEnd; j++) {
            float dot = tile[t + j];
            if (dot >= rowThreshold) {
                h.offer(i, dot, j);
                rowThreshold = h.threshold(i);
            }
            if (dot >= h.threshold(j)) {
                h.offer(j, dot, i);
            }
        }
    }

    private void euclideanRow(int i, int t, int jStart, int jEnd) {
        NeighbourHeaps h = heaps;
        float[] norms = search.queries().squaredNorms;
        float rowThreshold = h.threshold(i);
        float normI = norms[i];
        for (int j = jStart; j < jEnd; j++) {
            float twoDot = 2 * tile[t + j];
            float rowScore = twoDot - norms[j];
            if (rowScore >= rowThreshold) {
                h.offer(i, rowScore, j);
                rowThreshold = h.threshold(i);
            }
            float colScore = twoDot - normI;
            if (colScore >= h.threshold(j)) {
                h.offer(j, colScore, i);
            }
        }
    }
}
