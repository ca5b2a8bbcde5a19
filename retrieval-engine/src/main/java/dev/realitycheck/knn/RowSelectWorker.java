package dev.realitycheck.knn;

import java.util.Arrays;

/**
 * One thread's share of a search with large k (a sizeable fraction of the references, e.g. MAP@R
 * over classes of thousands): scores a block of query rows against every reference into a
 * block-sized key buffer, then per row selects the k best with {@link LongSelect} and sorts only
 * those. Memory is bounded by the block: {@code rows x references} keys.
 */
final class RowSelectWorker {

    private final DotKernel kernel;
    private final Panels a;
    private final Panels b;
    private final boolean euclid;
    private final int[] excluded;
    private final int k;
    private final int rowsPerBlock;
    private final long[] keys;
    private final float[] tile;
    private final int[] indices;
    private final float[] scores;

    RowSelectWorker(DotKernel kernel, Panels a, Panels b, boolean euclid, int[] excluded, int k, int rowsPerBlock) {
        this.kernel = kernel;
        this.a = a;
        this.b = b;
        this.euclid = euclid;
        this.excluded = excluded;
        this.k = k;
        this.rowsPerBlock = rowsPerBlock;
        this.keys = new long[Math.multiplyExact(rowsPerBlock, b.rows)];
        this.tile = new float[DotKernel.MR * kernel.nr()];
        this.indices = new int[k];
        this.scores = new float[k];
    }

    /** Rows per block so that one worker's keys stay within {@code budgetBytes} (a multiple of MR, >= MR). */
    static int rowsPerBlock(int references, long budgetBytes) {
        long rows = budgetBytes / Math.max(1L, (long) references * Long.BYTES);
        rows = Math.max(DotKernel.MR, Math.min(ExactKnn.BLOCK, rows));
        return (int) (rows / DotKernel.MR * DotKernel.MR);
    }

    /** Searches query rows {@code [rowStart, min(rowStart + rowsPerBlock, queries))} and emits them. */
    void block(int rowStart, NeighbourSink sink, ExactKnn.ScoreConverter converter) {
        int nq = a.rows;
        int nRef = b.rows;
        int nr = kernel.nr();
        int rowEnd = Math.min(rowStart + rowsPerBlock, nq);
        // reference blocks outermost: one block of reference panels stays in cache while every
        // query panel of this row block passes over it (streaming all references per query panel
        // made the large-k path memory-bound)
        for (int colStart = 0; colStart < nRef; colStart += ExactKnn.BLOCK) {
            int colEnd = Math.min(colStart + ExactKnn.BLOCK, nRef);
            for (int i0 = rowStart; i0 < rowEnd; i0 += DotKernel.MR) {
                int aOff = a.offset(i0 / DotKernel.MR);
                int iEnd = Math.min(i0 + DotKernel.MR, rowEnd);
                for (int j0 = colStart; j0 < colEnd; j0 += nr) {
                    kernel.tile(a.data, aOff, b.data, b.offset(j0 / nr), a.dim, tile);
                    int jEnd = Math.min(j0 + nr, colEnd);
                    for (int i = i0; i < iEnd; i++) {
                        int t = (i - i0) * nr - j0;
                        int row = (i - rowStart) * nRef;
                        for (int j = j0; j < jEnd; j++) {
                            float score = euclid ? 2 * tile[t + j] - b.squaredNorms[j] : tile[t + j];
                            keys[row + j] = NeighbourHeaps.key(score, j);
                        }
                    }
                }
            }
        }
        for (int i = rowStart; i < rowEnd; i++) {
            int from = (i - rowStart) * nRef;
            int to = from + nRef;
            int skip = excluded == null ? -1 : excluded[i];
            if (skip >= 0 && skip < nRef) {
                keys[from + skip] = keys[to - 1];
                to--;
            }
            int count = Math.min(k, to - from);
            LongSelect.smallestFirst(keys, from, to, count);
            Arrays.sort(keys, from, from + count);
            for (int n = 0; n < count; n++) {
                long key = keys[from + n];
                indices[n] = NeighbourHeaps.indexOf(key);
                scores[n] = NeighbourHeaps.scoreOf(key);
            }
            converter.toNatural(scores, count, a.squaredNorms[i]);
            sink.accept(i, indices, scores, count);
        }
    }
}
