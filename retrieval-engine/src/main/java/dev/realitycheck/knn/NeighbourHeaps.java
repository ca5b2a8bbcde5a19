package dev.realitycheck.knn;

import java.util.Arrays;

/**
 * The k best references seen so far for each of a range of queries: one bounded max-heap of
 * packed keys per query, in flat arrays (no object per neighbour).
 *
 * <p>A key packs (score, reference index) into a {@code long} whose natural order is the
 * retrieval order: higher score first, and among exactly equal scores the lower reference index
 * first. The heap root is the worst kept neighbour, so a candidate is kept when its key is smaller.
 * {@link #threshold(int)} gives the root's score for a cheap pre-filter ({@code score >= threshold}).
 */
final class NeighbourHeaps {

    private final int k;
    private final long[] keys;
    private final int[] sizes;
    private final float[] thresholds;

    NeighbourHeaps(int queries, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
        this.keys = new long[Math.multiplyExact(queries, k)];
        this.sizes = new int[queries];
        this.thresholds = new float[queries];
        Arrays.fill(thresholds, Float.NEGATIVE_INFINITY);
    }

    /** Packs a score (larger = closer) and a reference index into an order-preserving key. */
    static long key(float score, int index) {
        return ((long) sortable(score) << 32) | (index & 0xffffffffL);
    }

    /**
     * The score half of a key: an {@code int} whose signed order is the retrieval order (smaller =
     * higher score). {@code -score + 0f} turns -0.0 into +0.0 so that 0.0 and -0.0 tie. For
     * non-NaN scores it lies in {@code [0x807fffff, 0x7f800000]}, so {@link Integer#MAX_VALUE}
     * sorts after every real score.
     */
    static int sortable(float score) {
        int bits = Float.floatToRawIntBits(-score + 0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static int indexOf(long key) {
        return (int) key;
    }

    static float scoreOf(long key) {
        return scoreOfSortable((int) (key >> 32));
    }

    /** Inverse of {@link #sortable}. */
    static float scoreOfSortable(int sortable) {
        int bits = sortable ^ ((sortable >> 31) & 0x7fffffff);
        return -Float.intBitsToFloat(bits) + 0f;
    }

    /** Scores below this cannot enter query {@code q}'s heap; equal ones may (lower index wins). */
    float threshold(int q) {
        return thresholds[q];
    }

    int size(int q) {
        return sizes[q];
    }

    /** Offers reference {@code index} with {@code score} to query {@code q}. */
    void offer(int q, float score, int index) {
        long key = key(score, index);
        int base = q * k;
        int n = sizes[q];
        if (n < k) {
            // sift up
            int i = n;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                long pk = keys[base + parent];
                if (pk >= key) {
                    break;
                }
                keys[base + i] = pk;
                i = parent;
            }
            keys[base + i] = key;
            sizes[q] = ++n;
            if (n == k) {
                thresholds[q] = scoreOf(keys[base]);
            }
            return;
        }
        if (key >= keys[base]) {
            return;
        }
        // replace the root and sift down
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            if (left >= k) {
                break;
            }
            int right = left + 1;
            int child = right < k && keys[base + right] > keys[base + left] ? right : left;
            long ck = keys[base + child];
            if (ck <= key) {
                break;
            }
            keys[base + i] = ck;
            i = child;
        }
        keys[base + i] = key;
        thresholds[q] = scoreOf(keys[base]);
    }

    /** Offers every neighbour held for {@code q} in {@code other} to this heap's {@code q}. */
    void offerAll(int q, NeighbourHeaps other, int otherQ) {
        int base = otherQ * other.k;
        for (int i = 0, n = other.sizes[otherQ]; i < n; i++) {
            long key = other.keys[base + i];
            offer(q, scoreOf(key), indexOf(key));
        }
    }

    /**
     * Writes query {@code q}'s neighbours best-first into {@code indices} and {@code scores}
     * and returns how many there are. Leaves the heap unordered-but-valid for nothing: call once.
     */
    int drainSorted(int q, int[] indices, float[] scores) {
        int base = q * k;
        int n = sizes[q];
        Arrays.sort(keys, base, base + n);
        for (int i = 0; i < n; i++) {
            long key = keys[base + i];
            indices[i] = indexOf(key);
            scores[i] = scoreOf(key);
        }
        sizes[q] = 0;
        thresholds[q] = Float.NEGATIVE_INFINITY;
        return n;
    }
}
