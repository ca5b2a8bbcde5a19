package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExactKnnTest {

    private static Embeddings clustered(long seed, int n, int dim, int clusters) {
        Random random = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[random.nextInt(clusters)];
            for (int j = 0; j < dim; j++) {
                v[i * dim + j] = c[j] + 0.3f * (float) random.nextGaussian();
            }
        }
        return new Embeddings(v, n, dim);
    }

    @ParameterizedTest
    @EnumSource(KnnDistance.class)
    void symmetricStreamingAndScalarPathsReturnIdenticalNeighbours(KnnDistance distance) {
        // 600 rows: several 256-row blocks, a partial last block, a partial last tile
        Embeddings e = clustered(3, 600, 37, 12);
        int k = ExactKnn.heapMaxK(37); // the largest k the heap paths serve at this dimension
        CollectedNeighbours symmetric = new CollectedNeighbours(600);
        CollectedNeighbours streaming = new CollectedNeighbours(600);
        CollectedNeighbours scalar = new CollectedNeighbours(600);

        new ExactKnn(distance, 2, DotKernel.best(), Long.MAX_VALUE).searchSelf(e, k, symmetric);
        new ExactKnn(distance, 2, DotKernel.best(), 0).searchSelf(e, k, streaming);
        new ExactKnn(distance, 1, new ScalarDotKernel(DotKernel.best().nr()), 0).searchSelf(e, k, scalar);

        for (int q = 0; q < 600; q++) {
            assertThat(symmetric.indices[q]).as("query %d", q).hasSize(k).doesNotContain(q);
            assertThat(streaming.indices[q]).as("query %d", q).containsExactly(symmetric.indices[q]);
            assertThat(scalar.indices[q]).as("query %d", q).containsExactly(symmetric.indices[q]);
            assertThat(streaming.scores[q]).containsExactly(symmetric.scores[q]);
            assertThat(scalar.scores[q]).containsExactly(symmetric.scores[q]);
        }
    }

    /** Every reference ranked by the same float arithmetic as the kernels (sequential FMA), then sorted. */
    private static int[] oracle(Embeddings q, int i, Embeddings ref, int skip, KnnDistance d, int k) {
        java.util.List<long[]> all = new java.util.ArrayList<>();
        for (int j = 0; j < ref.rows(); j++) {
            if (j == skip) {
                continue;
            }
            float dot = 0, sq = 0;
            for (int c = 0; c < q.dim(); c++) {
                dot = Math.fma(q.get(i, c), ref.get(j, c), dot);
                sq = Math.fma(ref.get(j, c), ref.get(j, c), sq);
            }
            float score = d == KnnDistance.EUCLIDEAN ? 2 * dot - sq : dot;
            all.add(new long[] {NeighbourHeaps.key(score, j)});
        }
        return all.stream().mapToLong(x -> x[0]).sorted().limit(k).mapToInt(NeighbourHeaps::indexOf).toArray();
    }

    @ParameterizedTest
    @EnumSource(KnnDistance.class)
    void heapAndWholeRowPathsAgreeWithAnExactOracle(KnnDistance distance) {
        Embeddings e = clustered(9, 520, 23, 4);
        Embeddings prepared = distance == KnnDistance.COSINE ? e.l2Normalized() : e;
        for (int k : new int[] {ExactKnn.heapMaxK(23) - 4, ExactKnn.HEAP_MAX_K + 50}) {
            CollectedNeighbours self = new CollectedNeighbours(520);
            new ExactKnn(distance, 2).searchSelf(e, k, self);
            CollectedNeighbours separate = new CollectedNeighbours(520);
            new ExactKnn(distance, 2).search(e, e, null, k, separate);
            for (int q = 0; q < 520; q += 7) {
                assertThat(self.indices[q]).as("k=%d query %d", k, q)
                        .containsExactly(oracle(prepared, q, prepared, q, distance, k));
                assertThat(separate.indices[q]).as("k=%d query %d", k, q)
                        .containsExactly(oracle(prepared, q, prepared, -1, distance, k));
            }
        }
    }

    @Test
    void heapsServeSmallKAndLessOfItAtLowDimensions() {
        assertThat(ExactKnn.heapMaxK(2)).isEqualTo(ExactKnn.HEAP_MIN_K);
        assertThat(ExactKnn.heapMaxK(64)).isEqualTo(16);
        assertThat(ExactKnn.heapMaxK(128)).isEqualTo(32);
        assertThat(ExactKnn.heapMaxK(512)).isEqualTo(128);
        assertThat(ExactKnn.heapMaxK(4096)).isEqualTo(ExactKnn.HEAP_MAX_K);
    }

    @Test
    void aOneShotEngineTakesHeapsUpToTwiceTheLimitOnSmallProblemsOnly() {
        ExactKnn engine = new ExactKnn(KnnDistance.COSINE, 2);
        long cub = 5_924L * 5_924;
        assertThat(engine.heapLimit(128, cub)).isEqualTo(ExactKnn.heapMaxK(128));
        assertThat(engine.oneShot().heapLimit(128, cub)).isEqualTo(2 * ExactKnn.heapMaxK(128));
        assertThat(engine.oneShot().heapLimit(128, ExactKnn.ONE_SHOT_PAIRS + 1)).isEqualTo(ExactKnn.heapMaxK(128));
        assertThat(engine.oneShot().heapLimit(512, cub)).isEqualTo(ExactKnn.HEAP_MAX_K);
    }

    @ParameterizedTest
    @EnumSource(KnnDistance.class)
    void aOneShotEngineFindsTheSameNeighboursAsTheWholeRowPath(KnnDistance distance) {
        // k above heapMaxK(24) = 16: the default engine scores whole rows, the one-shot engine heaps
        Embeddings e = clustered(11, 700, 24, 9);
        for (int copy = 1; copy < 40; copy++) { // exact duplicates of row 0 every 17 rows: ties across paths
            System.arraycopy(e.values(), 0, e.values(), copy * 17 * 24, 24);
        }
        int k = 2 * ExactKnn.heapMaxK(24) - 3;
        for (boolean self : new boolean[] {true, false}) {
            CollectedNeighbours rows = new CollectedNeighbours(700);
            CollectedNeighbours heaps = new CollectedNeighbours(700);
            ExactKnn engine = new ExactKnn(distance, 2);
            if (self) {
                engine.searchSelf(e, k, rows);
                engine.oneShot().searchSelf(e, k, heaps);
            } else {
                engine.search(e, e, null, k, rows);
                engine.oneShot().search(e, e, null, k, heaps);
            }
            for (int q = 0; q < 700; q++) {
                assertThat(heaps.indices[q]).as("self=%b query %d", self, q).hasSize(k)
                        .containsExactly(rows.indices[q]);
                assertThat(heaps.scores[q]).as("self=%b query %d", self, q).containsExactly(rows.scores[q]);
            }
        }
    }

    @Test
    void neighboursComeBestFirstWithNaturalScores() {
        Embeddings q = Embeddings.of(new float[][] {{0, 0}});
        Embeddings ref = Embeddings.of(new float[][] {{3, 4}, {1, 0}, {0, 2}});
        CollectedNeighbours out = new CollectedNeighbours(1);

        new ExactKnn(KnnDistance.EUCLIDEAN, 1).search(q, ref, null, 3, out);

        assertThat(out.indices[0]).containsExactly(1, 2, 0);
        assertThat(out.scores[0]).containsExactly(1f, 2f, 5f);
    }

    @Test
    void cosineNormalisesSoLengthDoesNotMatter() {
        Embeddings q = Embeddings.of(new float[][] {{1, 0}});
        Embeddings ref = Embeddings.of(new float[][] {{100, 1}, {0.1f, 0}, {0, 5}});
        CollectedNeighbours out = new CollectedNeighbours(1);

        new ExactKnn(KnnDistance.COSINE, 1).search(q, ref, null, 3, out);

        assertThat(out.indices[0]).containsExactly(1, 0, 2);
        assertThat(out.scores[0][0]).isEqualTo(1f);
    }

    @Test
    void kIsCappedAtTheReferencesAQueryCanRank() {
        Embeddings e = clustered(5, 7, 3, 2);
        CollectedNeighbours out = new CollectedNeighbours(7);

        new ExactKnn(KnnDistance.EUCLIDEAN, 2).searchSelf(e, 100, out);

        for (int q = 0; q < 7; q++) {
            assertThat(out.indices[q]).hasSize(6).doesNotContain(q).doesNotHaveDuplicates();
        }
    }

    @Test
    void exactDuplicatesTieExactlyAndComeInIndexOrder() {
        float[][] rows = new float[300][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i % 3 == 0 ? new float[] {0.25f, -1.5f, 3f} : new float[] {i, 1, -i};
        }
        CollectedNeighbours out = new CollectedNeighbours(300);

        new ExactKnn(KnnDistance.EUCLIDEAN, 2).searchSelf(Embeddings.of(rows), 5, out);

        // query 3 is a duplicate of rows 0, 6, 9, 12...: the nearest are the lowest other indices
        assertThat(out.indices[3]).containsExactly(0, 6, 9, 12, 15);
        assertThat(out.scores[3]).containsOnly(0f);
    }
}
