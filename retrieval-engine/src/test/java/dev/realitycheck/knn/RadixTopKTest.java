package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RadixTopKTest {

    /** Every test runs with the scalar gather and with the best one (the Vector API's here). */
    static List<RowKernel> kernels() {
        return List.of(new ScalarRowKernel(), RowKernel.best());
    }

    /** The definition: sort (key, index) pairs, keep the first k. */
    private static long[] oracle(int[] row, int from, int n, int k) {
        long[] all = new long[n];
        for (int j = 0; j < n; j++) {
            all[j] = ((long) row[from + j] << 32) | j;
        }
        Arrays.sort(all);
        return Arrays.copyOf(all, k);
    }

    private static void assertMatchesOracle(RadixTopK select, int[] row, int from, int n, int k) {
        int[] indices = new int[k];
        int[] keys = new int[k];
        select.smallestSorted(row, from, n, k, indices, keys);
        long[] expected = oracle(row, from, n, k);
        for (int i = 0; i < k; i++) {
            assertThat(indices[i]).as("n=%d k=%d rank %d index", n, k, i).isEqualTo((int) expected[i]);
            assertThat(keys[i]).as("n=%d k=%d rank %d key", n, k, i).isEqualTo((int) (expected[i] >> 32));
        }
        assertRankedRelevanceMatchesOracle(select, row, from, n, k, expected);
    }

    /**
     * One instance per forced ordering and kernel (each gathers the relevance its own way), reused
     * across rows (as a worker's is).
     */
    private static final List<RadixTopK> FORCED = kernels().stream()
            .flatMap(kernel -> List.of(new RadixTopK(kernel, RadixTopK.Ordering.BUCKETS),
                    new RadixTopK(kernel, RadixTopK.Ordering.SORTED)).stream())
            .toList();

    /**
     * {@link RadixTopK#rankedRelevance} gives the relevance of the oracle's order, rank by rank,
     * for labels that mix relevant and irrelevant entries everywhere (hashed, 3 classes), in long
     * runs (blocks of 7 indices), and for one label only (every entry relevant): with
     * {@code select}'s ordering (adaptive: which way it takes depends on the row before) and with
     * each way forced, on the scalar and the best kernel.
     */
    private static void assertRankedRelevanceMatchesOracle(RadixTopK select, int[] row, int from, int n, int k,
                                                           long[] expected) {
        assertRankedRelevanceMatchesOracleWith(select, row, from, n, k, expected);
        for (RadixTopK way : FORCED) {
            assertRankedRelevanceMatchesOracleWith(way, row, from, n, k, expected);
        }
    }

    private static void assertRankedRelevanceMatchesOracleWith(RadixTopK select, int[] row, int from, int n, int k,
                                                               long[] expected) {
        int[] hashed = new int[n];
        int[] runs = new int[n];
        int[] one = new int[n];
        for (int j = 0; j < n; j++) {
            hashed[j] = (int) (((j * 2654435761L) >>> 7) % 3);
            runs[j] = j / 7 % 2;
        }
        RankedRelevance ranked = new RankedRelevance(1);
        for (int[] labels : new int[][] {hashed, runs, one}) {
            for (int label = 0; label < 2; label++) {
                select.rankedRelevance(row, from, n, k, labels, label, ranked);
                boolean[] relevant = LargeKSelectionTest.flags(ranked);
                assertThat(relevant).hasSize(k);
                for (int i = 0; i < k; i++) {
                    boolean want = labels[(int) expected[i]] == label;
                    if (relevant[i] != want) {
                        assertThat(relevant[i]).as("n=%d k=%d label %d rank %d relevance", n, k, label, i)
                                .isEqualTo(want);
                    }
                }
            }
        }
    }

    /** Scores drawn from {@code distinct} values: heavy ties everywhere, including at the k-th. */
    private static int[] tiedRow(Random random, int length, int distinct) {
        int[] row = new int[length];
        for (int j = 0; j < length; j++) {
            row[j] = NeighbourHeaps.sortable((random.nextInt(distinct) - distinct / 2) / 7f);
        }
        return row;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void tieHeavyRowsMatchTheDefinitionForEveryKindOfK(RowKernel kernel) {
        Random random = new Random(11);
        RadixTopK select = new RadixTopK(kernel); // one instance across sizes: buffers are reused
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(trial < 200 ? 300 : 5000);
            int distinct = 1 + random.nextInt(trial % 3 == 0 ? 3 : 200);
            int from = random.nextInt(5);
            int[] row = tiedRow(random, from + n + 3, distinct);
            for (int k : new int[] {1, n, Math.max(1, n - 1), 1 + random.nextInt(n), Math.max(1, n / 5)}) {
                assertMatchesOracle(select, row, from, n, k);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void continuousScoresSpanningEveryExponentMatchTheDefinition(RowKernel kernel) {
        Random random = new Random(5);
        RadixTopK select = new RadixTopK(kernel);
        for (int trial = 0; trial < 40; trial++) {
            int n = 2000 + random.nextInt(30000);
            int[] row = new int[n];
            for (int j = 0; j < n; j++) {
                float score = switch (trial % 4) {
                    case 0 -> (float) random.nextGaussian();
                    case 1 -> (float) (random.nextGaussian() * 1e-30); // tiny, near zero, both signs
                    case 2 -> Float.intBitsToFloat(random.nextInt()) ; // any bit pattern (NaNs dropped below)
                    default -> j % 2 == 0 ? 1e30f : -1e30f;
                };
                row[j] = NeighbourHeaps.sortable(Float.isNaN(score) ? 0f : score);
            }
            assertMatchesOracle(select, row, 0, n, 1 + random.nextInt(n));
            assertMatchesOracle(select, row, 0, n, n / 5);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aMisleadingSampleOnlyCostsMoreGathers(RowKernel kernel) {
        // the strided sample (every 4th entry of 4,096) sees only the best keys: its threshold
        // lets too few through, so the selection must widen it until it has k candidates
        int n = 4096;
        int[] row = new int[n];
        Random random = new Random(8);
        for (int j = 0; j < n; j++) {
            row[j] = NeighbourHeaps.sortable(j % 4 == 0 ? 1f : random.nextInt(5) / 10f);
        }
        for (int k : new int[] {1023, 1024, 1025, 2048, 4095}) {
            assertMatchesOracle(new RadixTopK(kernel), row, 0, n, k);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void allEqualRowComesBackInIndexOrder(RowKernel kernel) {
        int[] row = new int[4000];
        Arrays.fill(row, NeighbourHeaps.sortable(0.5f));
        int[] indices = new int[3999];
        int[] keys = new int[3999];

        new RadixTopK(kernel).smallestSorted(row, 0, 4000, 3999, indices, keys);

        for (int i = 0; i < indices.length; i++) {
            assertThat(indices[i]).isEqualTo(i);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void negativeAndPositiveZeroTie(RowKernel kernel) {
        int[] row = new int[3000];
        for (int j = 0; j < row.length; j++) {
            row[j] = NeighbourHeaps.sortable(j % 3 == 0 ? -0f : j % 3 == 1 ? 0f : -1f);
        }
        int[] indices = new int[2000];
        int[] keys = new int[2000];

        new RadixTopK(kernel).smallestSorted(row, 0, row.length, 2000, indices, keys);

        // every 0 and -0 (2000 of them) before every -1, the zeros in plain index order
        int expected = 0;
        for (int i = 0; i < 2000; i++, expected++) {
            if (expected % 3 == 2) {
                expected++;
            }
            assertThat(indices[i]).isEqualTo(expected);
            assertThat(NeighbourHeaps.scoreOfSortable(keys[i])).isEqualTo(0f);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void anExcludedEntryMarkedMaxValueIsNeverChosen(RowKernel kernel) {
        Random random = new Random(3);
        int[] row = tiedRow(random, 1500, 4);
        row[700] = Integer.MAX_VALUE;
        int[] indices = new int[1499];
        int[] keys = new int[1499];

        new RadixTopK(kernel).smallestSorted(row, 0, 1500, 1499, indices, keys);

        assertThat(indices).doesNotContain(700).doesNotHaveDuplicates();
        // ranked relevance: the excluded entry is the only one of its label, so no rank has it
        int[] labels = new int[1500];
        labels[700] = 1;
        RankedRelevance ranked = new RankedRelevance(1499);
        new RadixTopK(kernel).rankedRelevance(row, 0, 1500, 1499, labels, 1, ranked);
        assertThat(ranked.count()).isEqualTo(1499);
        assertThat(ranked.runs()).isZero();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void kOutsideOneToNIsRejected(RowKernel kernel) {
        assertThatThrownBy(() -> new RadixTopK(kernel).smallestSorted(new int[3], 0, 3, 4, new int[4], new int[4]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RadixTopK(kernel).smallestSorted(new int[3], 0, 3, 0, new int[1], new int[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
