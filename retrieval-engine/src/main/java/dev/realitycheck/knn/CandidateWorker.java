package dev.realitycheck.knn;

import java.util.Arrays;

/**
 * One thread's share of a search with k above the heaps' reach but small against the number of
 * references (e.g. MAP@R with classes of ~150 among 250,000 rows): a block of
 * {@link ExactKnn#BLOCK} query rows is scored against one cached block of references at a time
 * (GEMM-like: the reference block is read from cache by every query panel), and each row keeps
 * only the scores that can still be among its k best, in a candidate buffer filtered by a running
 * threshold. Per (query, reference) pair that costs the dot product and one vector compare
 * ({@link RowKernel#rowsAtLeast}); only rows of a tile with a passing score form keys; a full buffer is cut back to its k best
 * ({@link LongSelect}) and its k-th key becomes the row's new threshold. After the last reference
 * block the k best are sorted: the same (score, then lower index) order as the heaps and
 * {@link RadixTopK}, so the result is exact. Memory is the block's buffers, not the row.
 */
final class CandidateWorker {

    private final PanelSearch search;
    private final int k;
    private final int capacity;
    private final RowKernel rowKernel;
    private final long[] buffers;
    private final int[] sizes;
    private final int[] thresholds;
    private final float[] tile;
    private final float[] thresholdScores;
    private final int[] rowKeys;
    private final int[] gatheredKeys;
    private final int[] gatheredIndices;
    private final int[] indices;
    private final float[] scores;

    CandidateWorker(PanelSearch search, RowKernel rowKernel) {
        this.search = search;
        this.k = search.k();
        this.capacity = capacity(k);
        this.rowKernel = rowKernel;
        this.buffers = new long[Math.multiplyExact(ExactKnn.BLOCK, capacity)];
        this.sizes = new int[ExactKnn.BLOCK];
        this.thresholds = new int[ExactKnn.BLOCK];
        int nr = search.kernel().nr();
        this.tile = new float[DotKernel.MR * nr];
        this.thresholdScores = new float[ExactKnn.BLOCK];
        this.rowKeys = new int[nr];
        this.gatheredKeys = new int[nr];
        this.gatheredIndices = new int[nr];
        this.indices = new int[k];
        this.scores = new float[k];
    }

    /**
     * Candidates a row holds before it is cut back to k: twice k (at least 256), so that a cut
     * (linear in the buffer) is paid by k new candidates and the threshold tightens early. On
     * 40,000 x 128 (k = 149) 4k (at least 1,024) let 41% of the tile rows through the filter,
     * 2k 26%.
     */
    static int capacity(int k) {
        return Math.max(256, Math.multiplyExact(2, k));
    }

    /** Searches query rows {@code [rowStart, min(rowStart + BLOCK, queries))} and emits them. */
    void block(int rowStart, NeighbourSink sink, ExactKnn.ScoreConverter converter) {
        Panels a = search.queries();
        Panels b = search.references();
        int nr = search.kernel().nr();
        int rowEnd = Math.min(rowStart + ExactKnn.BLOCK, a.rows);
        // a row's threshold is its k-th key once it has had k candidates, as a key and a score
        Arrays.fill(thresholds, Integer.MAX_VALUE - 1);
        Arrays.fill(thresholdScores, Float.NEGATIVE_INFINITY);
        Arrays.fill(sizes, 0);
        Tiles.forEach(search, rowStart, rowEnd, tile, (i0, iEnd, j0, len) -> {
            int passing = rowKernel.rowsAtLeast(tile, nr, iEnd - i0, len, b.squaredNorms, j0, search.euclid(),
                    thresholdScores, i0 - rowStart);
            while (passing != 0) {
                int r = Integer.numberOfTrailingZeros(passing);
                passing &= passing - 1;
                rowKernel.sortableKeys(tile, r * nr, b.squaredNorms, j0, search.euclid(), rowKeys, 0, len);
                int i = i0 + r;
                append(i - rowStart, j0, len, search.excluded(i) - j0);
            }
        });
        for (int i = rowStart; i < rowEnd; i++) {
            int local = i - rowStart;
            int base = local * capacity;
            int count = Math.min(k, sizes[local]);
            LongSelect.smallestFirst(buffers, base, base + sizes[local], count);
            Arrays.sort(buffers, base, base + count);
            for (int n = 0; n < count; n++) {
                long key = buffers[base + n];
                indices[n] = NeighbourHeaps.indexOf(key);
                scores[n] = NeighbourHeaps.scoreOf(key);
            }
            converter.toNatural(scores, count, a.squaredNorms[i]);
            sink.accept(i, indices, scores, count);
        }
    }

    /**
     * Adds the keys in {@code rowKeys[0, len)} (references {@code j0 + c}) that pass row
     * {@code local}'s threshold, except position {@code skip}; cuts the buffer back to k when full.
     */
    private void append(int local, int j0, int len, int skip) {
        int base = local * capacity;
        int size = sizes[local];
        if (size + len > capacity) {
            LongSelect.smallestFirst(buffers, base, base + size, k);
            long kth = buffers[base];
            for (int n = 1; n < k; n++) {
                kth = Math.max(kth, buffers[base + n]);
            }
            // a later reference has a higher index, so it needs a strictly smaller key to win
            // against the k-th; keeping equal keys too costs little and does not rely on that order
            thresholds[local] = (int) (kth >> 32);
            thresholdScores[local] = NeighbourHeaps.scoreOfSortable(thresholds[local]);
            size = k;
        }
        if (skip >= 0 && skip < len) {
            rowKeys[skip] = Integer.MAX_VALUE; // after every real key, so never gathered
        }
        int found = rowKernel.gather(rowKeys, 0, len, thresholds[local], gatheredKeys, gatheredIndices);
        for (int n = 0; n < found; n++) {
            buffers[base + size++] = ((long) gatheredKeys[n] << 32) | (j0 + gatheredIndices[n]);
        }
        sizes[local] = size;
    }
}
