package dev.realitycheck.knn;

/**
 * The two per-element loops of the large-k path, which run once for every (query, reference)
 * pair: turning scores into sortable keys ({@link NeighbourHeaps#sortable}) and gathering the
 * keys at or below a threshold with their indices. C2 vectorises neither as plain loops (a
 * float-to-int bit move, a compaction), so {@link VectorRowKernel} writes them with the Vector
 * API; {@link ScalarRowKernel} is the portable fallback. Both give exactly the same results.
 */
interface RowKernel {

    /**
     * {@code keys[keysOff + c] = sortable(score)} for {@code c < len}, where score is
     * {@code dots[dotsOff + c]}, or with {@code euclid} {@code 2 * dots[dotsOff + c] - norms[normsOff + c]}
     * (two roundings, no fused multiply-add, as everywhere else).
     */
    void sortableKeys(float[] dots, int dotsOff, float[] norms, int normsOff, boolean euclid,
                      int[] keys, int keysOff, int len);

    /**
     * Copies every entry of {@code row[from, from + n)} with key {@code <= hi}, in index order:
     * its key to {@code keysOut}, its index (position minus {@code from}) to {@code indicesOut}.
     * Both outputs need {@code n} entries; entries past the returned count may be overwritten.
     *
     * @return how many were copied
     */
    int gather(int[] row, int from, int n, int hi, int[] keysOut, int[] indicesOut);

    /**
     * {@link #gather}, but each copied entry's relevance instead of its index: {@code 1} to
     * {@code flagsOut} where {@code labels[index] == label}, else {@code 0}. For a caller that
     * reads only relevance in (key, index) order: the flags come out in index order, as the
     * indices would, and reading the labels here, a vector at a time in index order, spares a
     * dependent load per candidate later.
     *
     * @param labels label of each entry, by index; at least {@code n} of them
     */
    int gatherRelevance(int[] row, int from, int n, int hi, int[] labels, int label, int[] keysOut, int[] flagsOut);

    /**
     * Which of the first {@code rows} rows of a tile hold a score at or above their threshold:
     * bit r of the result is set when some {@code c < len} has
     * {@code score(r, c) >= thresholds[thresholdsOff + r]}, where score is {@code tile[r * nr + c]},
     * or with {@code euclid} {@code 2 * tile[r * nr + c] - norms[normsOff + c]} (rounded as in
     * {@link #sortableKeys}). The candidate path's per-pair filter: almost every row of almost
     * every tile has none, and then no key is formed.
     */
    int rowsAtLeast(float[] tile, int nr, int rows, int len, float[] norms, int normsOff, boolean euclid,
                    float[] thresholds, int thresholdsOff);

    /** The Vector API kernel when {@link VectorApi} finds the {@code jdk.incubator.vector} module, else the scalar one. */
    static RowKernel best() {
        return VectorApi.orElse(() -> new VectorRowKernel(), () -> new ScalarRowKernel());
    }
}
