package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The large-k path's two row selections ({@link RowSelectWorker.Selection}) return bit-identical
 * neighbours and scores through every entry point, and its ranked relevance
 * ({@link RadixTopK#rankedRelevance}) the same relevance as those neighbours, on tie-heavy data:
 * duplicated embeddings, small-integer coordinates (many exactly equal scores around the k-th),
 * k = n - 1.
 */
class LargeKSelectionTest {

    /** Coordinates in {-1, 0, 1}, a third of the rows exact copies of earlier rows. */
    private static Embeddings tied(long seed, int n, int dim) {
        Random random = new Random(seed);
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            if (i > 0 && random.nextInt(3) == 0) {
                System.arraycopy(v, random.nextInt(i) * dim, v, i * dim, dim);
                continue;
            }
            for (int j = 0; j < dim; j++) {
                v[i * dim + j] = random.nextInt(3) - 1;
            }
        }
        return new Embeddings(v, n, dim);
    }

    private static ExactKnn engine(KnnDistance d, int threads, RowSelectWorker.Selection s) {
        return new ExactKnn(d, threads, DotKernel.best(), 256L << 20, s);
    }

    private static void assertSame(CollectedNeighbours actual, CollectedNeighbours expected, int k) {
        for (int q = 0; q < expected.indices.length; q++) {
            // plain array comparison first: AssertJ's element-wise check is slow on 10^5 arrays
            if (!Arrays.equals(actual.indices[q], expected.indices[q])
                    || !Arrays.equals(actual.scores[q], expected.scores[q])) {
                assertThat(actual.indices[q]).as("k=%d query %d", k, q).containsExactly(expected.indices[q]);
                assertThat(actual.scores[q]).as("k=%d query %d", k, q).containsExactly(expected.scores[q]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KnnDistance.class)
    void radixAndQuickselectAgreeBitForBitOnTieHeavyData(KnnDistance distance) {
        int n = 900;
        Embeddings e = tied(17, n, 4); // 81 distinct vectors at most: ties everywhere
        int[] self = new int[n];
        Arrays.setAll(self, i -> i);
        for (int k : new int[] {ExactKnn.heapMaxK(4) + 1, ExactKnn.HEAP_MAX_K + 1, 450, n - 2, n - 1, n + 10}) {
            for (int threads : new int[] {1, 2}) {
                CollectedNeighbours radixSelf = new CollectedNeighbours(n);
                CollectedNeighbours quickSelf = new CollectedNeighbours(n);
                engine(distance, threads, RowSelectWorker.Selection.RADIX).searchSelf(e, k, radixSelf);
                engine(distance, threads, RowSelectWorker.Selection.QUICKSELECT).searchSelf(e, k, quickSelf);
                assertSame(radixSelf, quickSelf, k);

                CollectedNeighbours radixPrefix = new CollectedNeighbours(n);
                CollectedNeighbours quickPrefix = new CollectedNeighbours(n);
                engine(distance, threads, RowSelectWorker.Selection.RADIX).search(e, e, self, k, radixPrefix);
                engine(distance, threads, RowSelectWorker.Selection.QUICKSELECT).search(e, e, self, k, quickPrefix);
                assertSame(radixPrefix, quickPrefix, k);

                CollectedNeighbours radixSeparate = new CollectedNeighbours(n);
                CollectedNeighbours quickSeparate = new CollectedNeighbours(n);
                engine(distance, threads, RowSelectWorker.Selection.RADIX).search(e, e, null, k, radixSeparate);
                engine(distance, threads, RowSelectWorker.Selection.QUICKSELECT).search(e, e, null, k, quickSeparate);
                assertSame(radixSeparate, quickSeparate, k);
            }
        }
    }

    /** Every query's relevance as delivered by a {@link RelevanceSink}. */
    private static final class CollectedRelevance implements RelevanceSink {
        final boolean[][] relevant;

        CollectedRelevance(int n) {
            relevant = new boolean[n][];
        }

        @Override
        public void accept(int query, RankedRelevance ranked) {
            relevant[query] = flags(ranked);
        }
    }

    /** The ranking rank by rank: {@code true} where a rank is relevant. */
    static boolean[] flags(RankedRelevance ranked) {
        boolean[] out = new boolean[ranked.count()];
        for (int i = 0; i < ranked.runs(); i++) {
            assertThat(ranked.start(i)).as("runs ascend, never touch, and are not empty")
                    .isGreaterThan(i == 0 ? -1 : ranked.end(i - 1)).isLessThan(ranked.end(i));
            Arrays.fill(out, ranked.start(i), ranked.end(i), true);
        }
        return out;
    }

    /** What the ranked relevance must equal: the quickselect's neighbours, mapped to labels. */
    private static boolean[][] relevanceOf(CollectedNeighbours neighbours, int[] queryLabels, int[] referenceLabels) {
        boolean[][] out = new boolean[neighbours.indices.length][];
        for (int q = 0; q < out.length; q++) {
            int[] idx = neighbours.indices[q];
            out[q] = new boolean[idx.length];
            for (int i = 0; i < idx.length; i++) {
                out[q][i] = referenceLabels[idx[i]] == queryLabels[q];
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(KnnDistance.class)
    void rankedRelevanceEqualsTheQuickselectNeighboursLabelsOnTieHeavyData(KnnDistance distance) {
        int n = 900;
        Embeddings e = tied(23, n, 4);
        int[] labels = new int[n];
        Arrays.setAll(labels, i -> i % 3); // labels cut across the duplicates: mixed ties everywhere
        labels[5] = 7; // a class of one
        int[] self = new int[n];
        Arrays.setAll(self, i -> i);
        for (int k : new int[] {ExactKnn.HEAP_MAX_K + 1, 600, n - 1}) { // 600: R above half the set
            CollectedNeighbours quick = new CollectedNeighbours(n);
            CollectedRelevance ranked = new CollectedRelevance(n);
            engine(distance, 2, RowSelectWorker.Selection.QUICKSELECT).searchSelf(e, k, quick);
            engine(distance, 2, RowSelectWorker.Selection.RADIX).searchSelf(e, labels, k, ranked);
            assertThat(ranked.relevant).as("self, k=%d", k).isEqualTo(relevanceOf(quick, labels, labels));

            for (int[] excluded : new int[][] {self, null}) { // query prefix, separate references
                CollectedNeighbours quickSearch = new CollectedNeighbours(n);
                CollectedRelevance rankedSearch = new CollectedRelevance(n);
                engine(distance, 2, RowSelectWorker.Selection.QUICKSELECT).search(e, e, excluded, k, quickSearch);
                engine(distance, 2, RowSelectWorker.Selection.RADIX).search(e, labels, e, labels, excluded, k,
                        rankedSearch);
                assertThat(rankedSearch.relevant).as("search excluding %s, k=%d", excluded == null ? "none" : "self", k)
                        .isEqualTo(relevanceOf(quickSearch, labels, labels));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KnnDistance.class)
    void allEqualEmbeddingsComeBackInIndexOrderWithoutTheQuery(KnnDistance distance) {
        int n = 400;
        float[] v = new float[n * 3];
        Arrays.fill(v, 0.5f);
        CollectedNeighbours out = new CollectedNeighbours(n);

        engine(distance, 2, RowSelectWorker.Selection.RADIX).searchSelf(new Embeddings(v, n, 3), n - 1, out);

        for (int q = 0; q < n; q += 37) {
            int[] expected = new int[n - 1];
            for (int i = 0, j = 0; j < n; j++) {
                if (j != q) {
                    expected[i++] = j;
                }
            }
            assertThat(out.indices[q]).containsExactly(expected);
        }
    }
}
