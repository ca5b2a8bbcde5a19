package dev.realitycheck.knn;

/** Portable {@link RowKernel}: plain loops, the gather branch-free (a conditional move). */
final class ScalarRowKernel implements RowKernel {

    @Override
    public void sortableKeys(float[] dots, int dotsOff, float[] norms, int normsOff, boolean euclid,
                             int[] keys, int keysOff, int len) {
        for (int c = 0; c < len; c++) {
            float score = euclid ? 2 * dots[dotsOff + c] - norms[normsOff + c] : dots[dotsOff + c];
            keys[keysOff + c] = NeighbourHeaps.sortable(score);
        }
    }

    @Override
    public int gather(int[] row, int from, int n, int hi, int[] keysOut, int[] indicesOut) {
        return gather(row, from, 0, n, hi, null, 0, keysOut, indicesOut, 0);
    }

    @Override
    public int gatherRelevance(int[] row, int from, int n, int hi, int[] labels, int label, int[] keysOut,
                               int[] flagsOut) {
        return gather(row, from, 0, n, hi, labels, label, keysOut, flagsOut, 0);
    }

    /**
     * Both gathers (with {@code labels} each entry's relevance to {@code payloadOut}, not its
     * index) of entries {@code [j0, n)}, written from {@code keysOut[c]} on: the vector kernel's
     * tail too. Returns the new count.
     */
    static int gather(int[] row, int from, int j0, int n, int hi, int[] labels, int label, int[] keysOut,
                      int[] payloadOut, int c) {
        for (int j = j0; j < n; j++) {
            int key = row[from + j];
            keysOut[c] = key;
            payloadOut[c] = labels == null ? j : labels[j] == label ? 1 : 0;
            c += key <= hi ? 1 : 0;
        }
        return c;
    }

    @Override
    public int rowsAtLeast(float[] tile, int nr, int rows, int len, float[] norms, int normsOff, boolean euclid,
                           float[] thresholds, int thresholdsOff) {
        int mask = 0;
        for (int r = 0; r < rows; r++) {
            float threshold = thresholds[thresholdsOff + r];
            for (int c = 0; c < len; c++) {
                float score = euclid ? 2 * tile[r * nr + c] - norms[normsOff + c] : tile[r * nr + c];
                if (score >= threshold) {
                    mask |= 1 << r;
                    break;
                }
            }
        }
        return mask;
    }
}
