package dev.realitycheck.knn;

/**
 * Quickselect on {@code long} keys: partially orders a range so that its k smallest keys come first
 * (in no particular order), in expected linear time. It was the large-k selection until
 * {@link RadixTopK} (~5x faster per row: no branchy partitioning of 64-bit keys over the whole row);
 * kept as {@link RowSelectWorker.Selection#QUICKSELECT} to benchmark and test against.
 */
final class LongSelect {

    private LongSelect() {
    }

    /** Moves the {@code k} smallest keys of {@code a[from, to)} to {@code a[from, from + k)}. */
    static void smallestFirst(long[] a, int from, int to, int k) {
        if (k <= 0 || k >= to - from) {
            return;
        }
        int target = from + k; // a[from, target) must hold the k smallest
        int lo = from;
        int hi = to - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            long pivot = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            // now a[lo..j] <= pivot <= a[i..hi], and j < i
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return; // positions j+1 .. i-1 hold the pivot: the boundary falls on them
            }
        }
    }

    private static long median(long x, long y, long z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }
}
