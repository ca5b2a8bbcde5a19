package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The candidate path ({@link CandidateWorker}) returns exactly what the whole-row path returns:
 * the same neighbours in the same order with bit-identical scores, ties (exact duplicates)
 * broken by the lower index, the excluded reference never retrieved, on a set with several
 * query and reference blocks, a partial last block and tile, and enough candidates per row that
 * buffers are cut back to k many times.
 */
class CandidatePathTest {

    private static final int N = 2_100;
    private static final int DIM = 12;

    /** Clustered rows, every fifth one an exact copy of an earlier row (ties). */
    private static Embeddings withDuplicates() {
        Random random = new Random(11);
        float[][] centres = new float[20][DIM];
        for (float[] c : centres) {
            for (int j = 0; j < DIM; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        float[] v = new float[N * DIM];
        for (int i = 0; i < N; i++) {
            if (i % 5 == 4) {
                System.arraycopy(v, random.nextInt(i) * DIM, v, i * DIM, DIM);
                continue;
            }
            float[] c = centres[random.nextInt(centres.length)];
            for (int j = 0; j < DIM; j++) {
                v[i * DIM + j] = c[j] + 0.4f * (float) random.nextGaussian();
            }
        }
        return new Embeddings(v, N, DIM);
    }

    private static ExactKnn engine(KnnDistance distance, int refsPerK) {
        return new ExactKnn(distance, 2, DotKernel.best(), 256L << 20, RowSelectWorker.Selection.RADIX, refsPerK);
    }

    private static void assertIdentical(CollectedNeighbours candidates, CollectedNeighbours rows, int k,
                                        int[] excluded) {
        for (int q = 0; q < rows.indices.length; q++) {
            assertThat(rows.indices[q]).as("query %d", q).hasSize(k);
            if (excluded != null) {
                assertThat(rows.indices[q]).as("query %d", q).doesNotContain(excluded[q]);
            }
            assertThat(candidates.indices[q]).as("query %d", q).containsExactly(rows.indices[q]);
            assertThat(candidates.scores[q]).as("query %d", q).containsExactly(rows.scores[q]);
        }
    }

    @ParameterizedTest
    @EnumSource(KnnDistance.class)
    void candidatesEqualWholeRowsForSelfSearchAndSearch(KnnDistance distance) {
        Embeddings e = withDuplicates();
        int[] self = new int[N];
        for (int i = 0; i < N; i++) {
            self[i] = i;
        }
        ExactKnn candidates = engine(distance, 0);
        ExactKnn rows = engine(distance, Integer.MAX_VALUE);
        // above the heaps' reach; 17 cuts a 256-candidate buffer many times, 150 a 300 one
        for (int k : new int[] {ExactKnn.heapMaxK(DIM) + 1, 150}) {
            CollectedNeighbours c = new CollectedNeighbours(N);
            CollectedNeighbours r = new CollectedNeighbours(N);
            candidates.searchSelf(e, k, c);
            rows.searchSelf(e, k, r);
            assertIdentical(c, r, k, self);

            Embeddings queries = e.slice(100, 700);
            int[] excluded = new int[600];
            for (int i = 0; i < 600; i++) {
                excluded[i] = i % 3 == 0 ? -1 : 100 + i;
            }
            c = new CollectedNeighbours(600);
            r = new CollectedNeighbours(600);
            candidates.search(queries, e, excluded, k, c);
            rows.search(queries, e, excluded, k, r);
            assertIdentical(c, r, k, excluded);

            c = new CollectedNeighbours(600);
            r = new CollectedNeighbours(600);
            candidates.search(queries, e, null, k, c);
            rows.search(queries, e, null, k, r);
            assertIdentical(c, r, k, null);
            for (int q = 0; q < 600; q++) {
                assertThat(c.indices[q]).as("query %d, nothing excluded, finds itself", q).contains(100 + q);
            }
        }
    }
}
