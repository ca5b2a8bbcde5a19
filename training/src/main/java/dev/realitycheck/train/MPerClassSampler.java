package dev.realitycheck.train;

import dev.realitycheck.train.seeds.Seeds;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches of {@code m} samples from each of {@code batchSize / m} distinct classes, as
 * pytorch-metric-learning's {@code MPerClassSampler}: classes are drawn without replacement, and
 * the samples of a class without replacement when it has at least {@code m} of them (with
 * replacement otherwise).
 *
 * <p>Batch {@code i} is a pure function of the seed and {@code i} (see {@link #batch(long)}), so the
 * sequence is deterministic and a resumed run continues it from its iteration number alone.
 */
public final class MPerClassSampler {

    private final int m;
    private final int batchSize;
    private final long seed;
    private final int[][] byClass;

    /**
     * @param labels    the label of every sample
     * @param m         samples per class in a batch; positive
     * @param batchSize samples per batch; a positive multiple of {@code m}
     * @param seed      the seed of the batch sequence
     * @throws IllegalArgumentException naming the bad value: {@code m} not dividing the batch size,
     *                                  or fewer classes than {@code batchSize / m}
     */
    public MPerClassSampler(int[] labels, int m, int batchSize, long seed) {
        Objects.requireNonNull(labels, "labels");
        if (m <= 0) {
            throw new IllegalArgumentException("m must be positive, was " + m);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        if (batchSize % m != 0) {
            throw new IllegalArgumentException("m (" + m + ") must divide batchSize (" + batchSize + ")");
        }
        TreeMap<Integer, List<Integer>> classes = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            classes.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        int needed = batchSize / m;
        if (classes.size() < needed) {
            throw new IllegalArgumentException("batchSize " + batchSize + " with m " + m + " needs " + needed
                    + " classes, the data has " + classes.size());
        }
        this.m = m;
        this.batchSize = batchSize;
        this.seed = seed;
        this.byClass = classes.values().stream()
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /** @return samples per class in a batch */
    public int m() {
        return m;
    }

    /** @return samples per batch */
    public int batchSize() {
        return batchSize;
    }

    /**
     * @param index the batch's position in the sequence, from 0
     * @return {@link #batchSize()} sample indices, class after class, {@code m} of each
     */
    public int[] batch(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("batch index must not be negative, was " + index);
        }
        SplittableRandom random = Seeds.random(seed, Seeds.SAMPLER, index);
        int[] classOrder = identity(byClass.length);
        partialShuffle(classOrder, batchSize / m, random);
        int[] batch = new int[batchSize];
        for (int c = 0; c < batchSize / m; c++) {
            int[] members = byClass[classOrder[c]];
            if (members.length >= m) {
                int[] copy = members.clone();
                partialShuffle(copy, m, random);
                System.arraycopy(copy, 0, batch, c * m, m);
            } else {
                for (int k = 0; k < m; k++) {
                    batch[c * m + k] = members[random.nextInt(members.length)];
                }
            }
        }
        return batch;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        return a;
    }

    /** Fisher-Yates on the first {@code k} positions: a uniform draw of k without replacement. */
    private static void partialShuffle(int[] a, int k, SplittableRandom random) {
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
