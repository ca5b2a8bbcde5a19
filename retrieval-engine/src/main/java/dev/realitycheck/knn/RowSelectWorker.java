package dev.realitycheck.knn;

import java.util.Arrays;

/**
 * One thread's share of a search with large k (a sizeable fraction of the references, e.g. MAP@R
 * over classes of thousands): scores a block of query rows against every reference into a
 * block-sized buffer of 32-bit sortable keys ({@link NeighbourHeaps#sortable}; the reference index
 * is the position), then per row picks the k best, best first, with the row {@link Selection}.
 * Memory is bounded by the block: {@code rows x references} keys.
 */
final class RowSelectWorker {

    /** How a row's k best are picked. */
    enum Selection {
        /** {@link RadixTopK}: sampled threshold, gather, radix sort of the candidates (the default). */
        RADIX,
        /**
         * The previous method, kept to benchmark against: 64-bit (key, index) keys for the whole
         * row, {@link LongSelect} quickselect, then a sort of the k winners.
         */
        QUICKSELECT
    }

    private final PanelSearch search;
    private final int rowsPerBlock;
    private final Selection selection;
    private final int[] keys;
    private final float[] tile;
    private final int[] indices;
    private final int[] winnerKeys;
    private final float[] scores;
    private final RowKernel rowKernel;
    private final RadixTopK radix;
    private final long[] rowKeys;
    private final Relevance relevance;
    private final RankedRelevance relevant;

    /**
     * @param relevance with {@link Selection#RADIX}, report each row's relevance ranked by
     *                  {@link RadixTopK#rankedRelevance} instead of its neighbours; {@code null}
     *                  (or with {@code QUICKSELECT}) neighbours go to {@link #block}'s sink
     */
    RowSelectWorker(PanelSearch search, int rowsPerBlock, Selection selection, RowKernel rowKernel,
                    Relevance relevance) {
        this.search = search;
        int k = search.k();
        int refs = search.references().rows;
        this.rowsPerBlock = rowsPerBlock;
        this.selection = selection;
        this.rowKernel = rowKernel;
        this.radix = new RadixTopK(rowKernel);
        this.keys = new int[Math.multiplyExact(rowsPerBlock, refs)];
        this.tile = new float[DotKernel.MR * search.kernel().nr()];
        this.indices = new int[k];
        this.winnerKeys = new int[k];
        this.scores = new float[k];
        this.rowKeys = selection == Selection.QUICKSELECT ? new long[refs] : null;
        this.relevance = selection == Selection.RADIX ? relevance : null;
        this.relevant = this.relevance != null ? new RankedRelevance(k) : null;
    }

    /** Rows per block so that one worker's keys stay within {@code budgetBytes} (a multiple of MR, >= MR). */
    static int rowsPerBlock(int references, long budgetBytes) {
        long rows = budgetBytes / Math.max(1L, (long) references * Integer.BYTES);
        rows = Math.max(DotKernel.MR, Math.min(ExactKnn.BLOCK, rows));
        return (int) (rows / DotKernel.MR * DotKernel.MR);
    }

    /** Searches query rows {@code [rowStart, min(rowStart + rowsPerBlock, queries))} and emits them. */
    void block(int rowStart, NeighbourSink sink, ExactKnn.ScoreConverter converter) {
        Panels a = search.queries();
        Panels b = search.references();
        int nRef = b.rows;
        int nr = search.kernel().nr();
        int rowEnd = Math.min(rowStart + rowsPerBlock, a.rows);
        Tiles.forEach(search, rowStart, rowEnd, tile, (i0, iEnd, j0, len) -> {
            for (int i = i0; i < iEnd; i++) {
                rowKernel.sortableKeys(tile, (i - i0) * nr, b.squaredNorms, j0, search.euclid(),
                        keys, (i - rowStart) * nRef + j0, len);
            }
        });
        for (int i = rowStart; i < rowEnd; i++) {
            int from = (i - rowStart) * nRef;
            int skip = search.excluded(i);
            boolean skips = skip >= 0 && skip < nRef;
            int count = Math.min(search.k(), nRef - (skips ? 1 : 0));
            if (selection == Selection.RADIX) {
                if (skips) {
                    keys[from + skip] = Integer.MAX_VALUE; // after every real score, never among the k
                }
                if (relevance != null) {
                    radix.rankedRelevance(keys, from, nRef, count, relevance.referenceLabels(),
                            relevance.queryLabels()[i], relevant);
                    relevance.sink().accept(i, relevant);
                    continue;
                }
                radix.smallestSorted(keys, from, nRef, count, indices, winnerKeys);
                for (int n = 0; n < count; n++) {
                    scores[n] = NeighbourHeaps.scoreOfSortable(winnerKeys[n]);
                }
            } else {
                quickselect(from, nRef, skips ? skip : -1, count);
            }
            converter.toNatural(scores, count, a.squaredNorms[i]);
            sink.accept(i, indices, scores, count);
        }
    }

    /** The previous method (see {@link Selection#QUICKSELECT}); fills indices and scores. */
    private void quickselect(int from, int nRef, int skip, int count) {
        int to = nRef;
        for (int j = 0; j < nRef; j++) {
            rowKeys[j] = ((long) keys[from + j] << 32) | j;
        }
        if (skip >= 0) {
            rowKeys[skip] = rowKeys[to - 1];
            to--;
        }
        LongSelect.smallestFirst(rowKeys, 0, to, count);
        Arrays.sort(rowKeys, 0, count);
        for (int n = 0; n < count; n++) {
            indices[n] = NeighbourHeaps.indexOf(rowKeys[n]);
            scores[n] = NeighbourHeaps.scoreOf(rowKeys[n]);
        }
    }
}
