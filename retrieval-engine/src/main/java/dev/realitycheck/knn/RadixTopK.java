package dev.realitycheck.knn;

import java.util.Arrays;
import java.util.Objects;

/**
 * The k best entries of one row of 32-bit sortable keys ({@link NeighbourHeaps#sortable}, smaller
 * is better; an entry's reference index is its position in the row), best first, exact ties by
 * ascending index, without sorting or quickselecting the whole row. For large k (a sizeable
 * fraction of the row, e.g. MAP@R's R of thousands) it replaces a quickselect of 64-bit
 * (key, index) keys plus a sort of the winners, which cost ~0.5 ms per 35,000-entry row.
 *
 * <p>The algorithm, per row of n keys:
 * <ol>
 *   <li><b>Estimate the threshold.</b> In a strided sample of {@value #SAMPLE} keys, select
 *       (a radix select) the one whose sample rank is k/n of the sample plus a safety margin
 *       of {@value #MARGIN_SIGMAS} standard deviations of that sample quantile: a key {@code hi}
 *       at or above the k-th smallest with high probability, and not far above it.</li>
 *   <li><b>Gather the candidates</b>, every entry with key {@code <= hi}, in one branch-free pass
 *       in ascending index order. If fewer than k come out (the sample was unlucky), gather again
 *       with a key further up the sample, finally with no threshold: always correct, only
 *       slower.</li>
 *   <li><b>Sort only the candidates</b> (about k plus the margin) with a stable LSD radix sort on
 *       the key minus the candidates' smallest key, in as few passes of at most
 *       {@value #MAX_DIGIT_BITS} bits as that range needs. Stability keeps equal keys in the
 *       gather's ascending index order, which is exactly the (score, index) order of
 *       pytorch-metric-learning's ties; the first k are the answer.</li>
 * </ol>
 * For a metric that reads only whether each of the k is relevant (MAP@R, R-Precision),
 * {@link #rankedRelevance} gives runs of relevant ranks: where classes separate, step 3 becomes
 * one counting pass over key-prefix buckets that orders only the buckets mixing relevant and
 * irrelevant entries; where they mix (nearly every bucket then mixes), step 3 itself with the
 * relevance carried in each sorted entry's lowest bit ({@link Ordering}).
 *
 * <p>Exactness does not depend on the sample: every entry with key {@code <= hi} is a candidate and
 * {@code hi} is at least the k-th smallest key, so every entry tied with the k-th is a candidate
 * and the stable sort puts the lowest indices among them first. Apart from selecting in the small
 * sample (sorting it, as before, took ~5% of the demo evaluation's CPU), every step is linear and
 * branch-free in the data (no misprediction-bound partitioning), and only the ~k candidates are
 * touched more than once.
 *
 * <p>Not thread-safe: one instance per worker (it owns the scratch buffers).
 */
final class RadixTopK {

    /** Keys in the threshold sample: its quantile error (in entries) is about n / sqrt(SAMPLE). */
    static final int SAMPLE = 1024;

    /**
     * Safety margin of the threshold, in standard deviations of the sample's k/n quantile
     * ({@code sqrt(s p (1 - p))} sample ranks): more candidates to sort against more re-gathers
     * (at 1.5, in theory ~7% of rows gather twice; on the demo shape 3 took ~20% more CPU per
     * row, measured on a loaded machine).
     */
    static final double MARGIN_SIGMAS = 1.5;

    /**
     * Largest radix digit: 2^13 counters per pass (32 KiB). The key ranges of typical winners
     * (scores over one or two binades, 24-26 bits) then take two passes; measured on the demo
     * shape, two passes of 12 bits took ~18% less time than three of 8.
     */
    static final int MAX_DIGIT_BITS = 13;

    /**
     * Most key-prefix buckets of {@link #rankedRelevance}: 2^13, about one per candidate at the
     * demo's ~7,700. Fewer buckets mix more entries (2^12: 560 of them a row to order, in 150
     * buckets), more cost more to clear and walk; measured on the demo's rows (thread CPU per
     * row, shared machine): 2^11 84, 2^12 73, 2^13 66 us, the last with about 350 entries in 120
     * mixed buckets to order.
     */
    static final int MAX_BUCKET_BITS = 13;

    /**
     * {@link Ordering#ADAPTIVE} sorts a row whole when the previous row gave more than
     * k / MIXED_RUNS relevant runs. Measured on the demo's shape (selection alone, thread CPU per
     * row): classes that separate (~190 runs of k = 6,999) 60 us by buckets, 70 sorted; classes that
     * mix (~1,550 runs) 150 by buckets, 82 sorted; the two cross near 440 runs, k / 16.
     */
    static final int MIXED_RUNS = 16;

    /** How {@link #rankedRelevance} orders a row's candidates; every way gives the same runs. */
    enum Ordering {
        /**
         * Bucket by bucket: a counting pass over key prefixes, only the buckets mixing relevant
         * and irrelevant entries ordered, one by one (a chain walk and a small sort each, with
         * unpredictable branches). Cheapest where classes separate: few buckets mix.
         */
        BUCKETS,
        /**
         * Every candidate radix sorted ({@link #radixSort}, branch-free), the runs read off in
         * one branch-free pass. Cheapest where classes mix (an untrained or early checkpoint):
         * then nearly every bucket mixes.
         */
        SORTED,
        /**
         * {@link #SORTED} when the previous row of this instance gave more than k /
         * {@value RadixTopK#MIXED_RUNS} runs, else {@link #BUCKETS}: rows of one evaluation mix
         * alike, so the previous row predicts the next.
         */
        ADAPTIVE
    }

    private final RowKernel rowKernel;
    private final Ordering ordering;
    /** Runs of the previous row of {@link #rankedRelevance}. */
    private int lastRuns;
    private final int[] sample = new int[SAMPLE];
    /** {@link #sampleKey}'s histogram and the two buffers of the keys still in play. */
    private final int[] sampleCounts = new int[256];
    private final int[] sampleIn = new int[SAMPLE];
    private final int[] sampleOut = new int[SAMPLE];
    private final int[] counts = new int[Math.max(3 << MAX_DIGIT_BITS, 1 << MAX_BUCKET_BITS)];
    /** Per bucket of {@link #rankedRelevance}: its relevant entries. */
    private final int[] relevantCounts = new int[1 << MAX_BUCKET_BITS];
    /** The buckets of {@link #rankedRelevance} holding an irrelevant entry, and their start ranks. */
    private final int[] irregular = new int[(1 << MAX_BUCKET_BITS) + 1];
    private final int[] irregularRanks = new int[(1 << MAX_BUCKET_BITS) + 1];
    /** Per bucket of {@link #rankedRelevance}: its last candidate; per candidate: the one before in its bucket. */
    private final int[] heads = new int[1 << MAX_BUCKET_BITS];
    private int[] chain = new int[0];
    /**
     * The gathered candidates' keys and payloads, in index order: each one's index, or for
     * {@link #rankedRelevance} its relevance (1 or 0, gathered with it: {@link RowKernel#gatherRelevance}).
     */
    private int[] keys = new int[0];
    private int[] payloads = new int[0];
    /** The smallest candidate key, set by {@link #keyRange}. */
    private int rangeMin;
    /** The radix sort's two buffers of packed candidates. */
    private long[] packed = new long[0];
    private long[] packedTmp = new long[0];

    /** @param rowKernel runs the gather; rows are ordered {@link Ordering#ADAPTIVE} */
    RadixTopK(RowKernel rowKernel) {
        this(rowKernel, Ordering.ADAPTIVE);
    }

    /**
     * @param rowKernel runs the gather
     * @param ordering  how {@link #rankedRelevance} orders a row (the others: to test and
     *                  benchmark against)
     */
    RadixTopK(RowKernel rowKernel, Ordering ordering) {
        this.rowKernel = rowKernel;
        this.ordering = Objects.requireNonNull(ordering, "ordering");
    }

    /**
     * Writes the {@code k} smallest (key, index) pairs of {@code row[from, from + n)} in ascending
     * order: their indices (position minus {@code from}) to {@code outIndices}, their keys to
     * {@code outKeys}.
     *
     * @param k at least 1 and at most {@code n}
     */
    void smallestSorted(int[] row, int from, int n, int k, int[] outIndices, int[] outKeys) {
        int m = candidates(row, from, n, k, null, 0);
        sortCandidates(m, k, outIndices, outKeys);
    }

    /**
     * Which of the {@code k} smallest (key, index) entries of {@code row[from, from + n)} are
     * relevant, in their ascending order, mostly without ordering them: what {@link #smallestSorted}
     * followed by {@code labels[index i] == label} gives, rank by rank, for a metric that reads
     * only relevance by rank (MAP@R, R-Precision).
     *
     * <p>After the same threshold and gather as {@link #smallestSorted}, the candidates are
     * ordered as {@link Ordering} says. The gather takes each candidate's relevance instead of
     * its index ({@link RowKernel#gatherRelevance}): the labels are read once, in index order, a
     * vector at a time. {@link Ordering#SORTED}: the radix sort of {@link #smallestSorted} with the
     * relevance where the index was (a stable sort by key keeps ties in the gather's index order,
     * so the index need not travel), then one branch-free pass over the k ranks
     * ({@link RankedRelevance#addFlagged}). {@link Ordering#BUCKETS}: one counting pass puts the
     * candidates into up to 2^{@value #MAX_BUCKET_BITS} buckets by the top bits of their key
     * (key minus the smallest, so the buckets span the candidates' range) and counts, per bucket,
     * its entries and its relevant ones. The buckets in key order give every entry's rank up to
     * its place inside its bucket, and that place only matters where a bucket holds relevant and
     * irrelevant entries at once: a bucket of one kind (nearly all of them) is a run of its kind,
     * also where it straddles rank k; only mixed buckets (rare, small) are ordered by (key, index),
     * their entries found through a chain per bucket that the counting pass links (no second pass
     * over the candidates). Exact ties share a bucket, so the tie rule is the sort's. The walk over the
     * buckets (one per candidate or so) is branch-free: it only lists, with their start ranks, the
     * buckets holding an irrelevant entry (a few hundred); the ranks between two of them are one
     * relevant run, and the mixed ones are expanded once ordered. Only mixed buckets' ranks are
     * written one by one.
     *
     * @param labels   label of each entry, by index (position minus {@code from})
     * @param label    the label that makes an entry relevant
     * @param relevant receives the runs of relevant ranks among the {@code k}
     */
    void rankedRelevance(int[] row, int from, int n, int k, int[] labels, int label, RankedRelevance relevant) {
        int m = candidates(row, from, n, k, labels, label);
        relevant.clear(k);
        boolean sorted = ordering == Ordering.SORTED || ordering == Ordering.ADAPTIVE && lastRuns > k / MIXED_RUNS;
        if (sorted) { // classes mix: order every candidate
            relevant.addFlagged(radixSort(m), 0, k);
        } else {
            bucketRuns(m, k, relevant);
        }
        lastRuns = relevant.runs();
    }

    /**
     * The bucket walk of {@link #rankedRelevance} on the first {@code m} candidates: a counting
     * pass over key-prefix buckets, only the mixed buckets ordered.
     */
    private void bucketRuns(int m, int k, RankedRelevance relevant) {
        int bits = keyRange(m);
        int min = rangeMin;
        int bucketBits = Math.min(bits, Math.min(MAX_BUCKET_BITS, 33 - Integer.numberOfLeadingZeros(m)));
        int shift = bits - bucketBits; // (key - min) >>> shift < 2^bucketBits, key - min read unsigned
        int buckets = 1 << bucketBits;
        Arrays.fill(counts, 0, buckets, 0);
        Arrays.fill(relevantCounts, 0, buckets, 0);
        int[] next = chain;
        int[] head = heads;
        for (int i = 0; i < m; i++) { // and each bucket's entries chained, last first
            int b = (keys[i] - min) >>> shift;
            next[i] = head[b]; // stale for a bucket's first entry: never followed past its count
            head[b] = i;
            counts[b]++;
            relevantCounts[b] += payloads[i];
        }
        // the buckets holding an irrelevant entry, in key order, with their start ranks; every
        // bucket between two of them is relevant or empty. Branch-free: a bucket is always written
        // and kept only if it counts
        int[] at = irregular;
        int[] atRank = irregularRanks;
        int irregulars = 0;
        int pos = 0;
        for (int b = 0; pos < k; b++) {
            int c = counts[b];
            at[irregulars] = b;
            atRank[irregulars] = pos;
            irregulars += relevantCounts[b] != c ? 1 : 0;
            pos += c;
        }
        int runStart = 0; // ranks [runStart, next irregular bucket) are relevant
        for (int j = 0; j < irregulars; j++) {
            int b = at[j];
            int start = atRank[j];
            if (start > runStart) {
                relevant.add(runStart, Math.min(start, k));
            }
            int end = start + counts[b];
            if (relevantCounts[b] != 0) { // mixed: its entries from the chain, ordered by (key, index)
                long[] order = packed;
                for (int i = head[b], p = start; p < end; p++, i = next[i]) {
                    order[p] = (long) (keys[i] - min) << 32 | (long) i << 1 | payloads[i]; // i: index order
                }
                sortSmall(order, start, end);
                relevant.addFlagged(order, start, Math.min(end, k));
            }
            runStart = end;
        }
        if (runStart < k) {
            relevant.add(runStart, k);
        }
    }

    /**
     * Sorts {@code a[from, to)}: insertion sort for the few entries a bucket usually holds,
     * {@link Arrays#sort(long[], int, int)} (whose call costs more than that) above 32.
     */
    private static void sortSmall(long[] a, int from, int to) {
        if (to - from > 32) {
            Arrays.sort(a, from, to);
            return;
        }
        for (int i = from + 1; i < to; i++) {
            long x = a[i];
            int j = i - 1;
            while (j >= from && a[j] > x) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    /**
     * Bits that the first {@code m} candidates' keys span above their smallest, which it leaves in
     * {@link #rangeMin}.
     */
    private int keyRange(int m) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < m; i++) {
            min = Math.min(min, keys[i]);
            max = Math.max(max, keys[i]);
        }
        rangeMin = min;
        return 64 - Long.numberOfLeadingZeros((long) max - min);
    }

    /**
     * Gathers into {@link #keys} and {@link #payloads}, in index order, every entry with key at or
     * below a sampled threshold that is at least the k-th smallest key; returns how many. Each
     * candidate's payload is its index, or with {@code labels} whether it has {@code label} (1, else 0).
     */
    private int candidates(int[] row, int from, int n, int k, int[] labels, int label) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        ensureCapacity(n);
        if (k == n) {
            return gather(row, from, n, Integer.MAX_VALUE, labels, label);
        }
        int s = sample(row, from, n);
        double p = (double) k / n;
        int margin = (int) Math.ceil(MARGIN_SIGMAS * Math.sqrt(s * p * (1 - p))) + 1;
        int rank = (int) Math.ceil(p * s) + margin;
        int m;
        do { // an unlucky sample only costs another gather with a higher threshold
            int hi = rank < s ? sampleKey(s, rank) : Integer.MAX_VALUE;
            m = gather(row, from, n, hi, labels, label);
            rank += 2 * margin;
        } while (m < k);
        return m;
    }

    /**
     * The key of rank {@code rank} (0-based) among the first {@code s} of {@link #sample}: a radix
     * select on 8-bit digits from the top, each round a histogram of the keys still in play, then
     * only the digit's bucket that holds the rank kept (a branch-free compaction). Four rounds at
     * most, the later ones over a few dozen keys: on the demo's rows ~2 us a row (3%) less than
     * the quickselect ({@link LongSelect}) it replaces, whose partitioning branches are as good as
     * random.
     */
    private int sampleKey(int s, int rank) {
        int[] in = sample;
        int[] out = sampleIn;
        int len = s;
        int r = rank;
        for (int shift = 24; ; shift -= 8) {
            Arrays.fill(sampleCounts, 0);
            for (int i = 0; i < len; i++) {
                sampleCounts[((in[i] ^ Integer.MIN_VALUE) >>> shift) & 0xFF]++; // unsigned, in key order
            }
            int d = 0;
            while (r >= sampleCounts[d]) {
                r -= sampleCounts[d++];
            }
            if (shift == 0 || sampleCounts[d] == 1) { // one key left, or all equal: it is the one
                for (int i = 0; ; i++) {
                    if ((((in[i] ^ Integer.MIN_VALUE) >>> shift) & 0xFF) == d) {
                        return in[i];
                    }
                }
            }
            int w = 0;
            for (int i = 0; i < len; i++) {
                int key = in[i];
                out[w] = key;
                w += (((key ^ Integer.MIN_VALUE) >>> shift) & 0xFF) == d ? 1 : 0;
            }
            len = w;
            in = out;
            out = out == sampleIn ? sampleOut : sampleIn;
        }
    }

    /** Copies a strided sample of the row into {@link #sample}; returns its size. */
    private int sample(int[] row, int from, int n) {
        int s = Math.min(SAMPLE, n);
        int step = n / s;
        int rest = n % s;
        for (int i = 0, at = from, carry = 0; i < s; i++) { // at = from + floor(i * n / s), no division
            sample[i] = row[at];
            at += step;
            carry += rest;
            if (carry >= s) {
                carry -= s;
                at++;
            }
        }
        return s;
    }

    /** Copies every entry with key {@code <= hi} (key and payload) in index order; returns how many. */
    private int gather(int[] row, int from, int n, int hi, int[] labels, int label) {
        return labels == null ? rowKernel.gather(row, from, n, hi, keys, payloads)
                : rowKernel.gatherRelevance(row, from, n, hi, labels, label, keys, payloads);
    }

    /**
     * Stable LSD radix sort of the first {@code m} candidates by key; writes the first {@code k}.
     */
    private void sortCandidates(int m, int k, int[] outIndices, int[] outKeys) {
        long[] sorted = radixSort(m);
        for (int i = 0; i < k; i++) {
            long c = sorted[i];
            outIndices[i] = (int) c;
            outKeys[i] = (int) (c >>> 32) + rangeMin;
        }
    }

    /**
     * Stable LSD radix sort of the first {@code m} candidates by key; returns the buffer holding
     * them sorted, one {@code long} per candidate: {@code (key - min) << 32 | payload} (key - min
     * read unsigned, {@code min} left in {@link #rangeMin}; the payload an index, or a relevance
     * flag for {@link RankedRelevance#addFlagged}, equal keys staying in index order). The passes
     * move one {@code long} per candidate, not two {@code int}s: 15% faster on the demo shape.
     */
    private long[] radixSort(int m) {
        int bits = keyRange(m);
        int min = rangeMin;
        long[] in = packed;
        if (bits == 0) { // all keys equal: index order is already the answer
            for (int i = 0; i < m; i++) {
                in[i] = payloads[i];
            }
            return in;
        }
        int passes = (bits + MAX_DIGIT_BITS - 1) / MAX_DIGIT_BITS;
        int width = (bits + passes - 1) / passes;
        int buckets = 1 << width;
        int mask = buckets - 1;
        Arrays.fill(counts, 0, passes * buckets, 0);
        if (passes == 2) { // the usual range (14 to 26 bits): both histograms, unrolled
            for (int i = 0; i < m; i++) {
                int v = keys[i] - min;
                counts[v & mask]++;
                counts[buckets + ((v >>> width) & mask)]++;
            }
        } else {
            for (int i = 0; i < m; i++) {
                int v = keys[i] - min;
                for (int p = 0; p < passes; p++) {
                    counts[p * buckets + ((v >>> (p * width)) & mask)]++;
                }
            }
        }
        long[] out = passes % 2 == 0 ? packedTmp : packed; // the last pass writes packed
        for (int p = 0; p < passes; p++) {
            int shift = 32 + p * width;
            int base = p * buckets;
            for (int b = base, sum = 0; b < base + buckets; b++) {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }
            if (p == 0) { // packs as it scatters: no pass of its own
                for (int i = 0; i < m; i++) {
                    int v = keys[i] - min;
                    out[counts[v & mask]++] = (long) v << 32 | payloads[i];
                }
            } else {
                for (int i = 0; i < m; i++) {
                    long c = in[i];
                    out[counts[base + ((int) (c >>> shift) & mask)]++] = c;
                }
            }
            in = out;
            out = in == packed ? packedTmp : packed;
        }
        return in;
    }

    private void ensureCapacity(int n) {
        if (keys.length < n) {
            keys = new int[n];
            payloads = new int[n];
            packed = new long[n];
            packedTmp = new long[n];
            chain = new int[n];
        }
    }
}
