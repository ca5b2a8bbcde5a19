package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.embedding.gallery.ExactGalleryIndex;
import dev.realitycheck.embedding.gallery.GalleryIndex;
import dev.realitycheck.embedding.gallery.GalleryIndexFactory;
import dev.realitycheck.embedding.gallery.HnswGalleryIndex;
import dev.realitycheck.knn.KnnDistance;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Recall of the HNSW gallery index against exact search on 5,000 clustered random vectors (fixed
 * seeds; Lucene builds its graph with a fixed seed too, so the numbers are reproducible).
 */
class GalleryIndexRecallTest {

    static final int ROWS = 5000;
    static final int DIM = 64;
    static final int CLUSTERS = 50;
    static final int QUERIES = 200;
    static final int K = 10;
    static final double NOISE = 1.0;

    @Test
    void hnswRecallAt10AgainstExactCosine() {
        assertThat(recall(KnnDistance.COSINE, 100)).isGreaterThanOrEqualTo(0.9);
        recall(KnnDistance.COSINE, K);
    }

    @Test
    void hnswRecallAt10AgainstExactEuclidean() {
        assertThat(recall(KnnDistance.EUCLIDEAN, 100)).isGreaterThanOrEqualTo(0.9);
        recall(KnnDistance.EUCLIDEAN, K);
    }

    @Test
    void hnswLeavesOutTheExcludedRowAndReportsExactDistances() {
        float[] vectors = clustered(new Random(7), ROWS);
        try (GalleryIndex exact = new ExactGalleryIndex(vectors, ROWS, DIM, KnnDistance.EUCLIDEAN, 1);
             GalleryIndex hnsw = new HnswGalleryIndex(vectors, ROWS, DIM, KnnDistance.EUCLIDEAN, 100)) {
            float[] own = new float[DIM];
            System.arraycopy(vectors, 123 * DIM, own, 0, DIM);
            List<GalleryIndex.Hit> hits = hnsw.search(own, K, 123);
            assertThat(hits).hasSize(K).noneMatch(h -> h.row() == 123);
            GalleryIndex.Hit first = exact.search(own, 1, 123).get(0);
            assertThat(hits.get(0).row()).isEqualTo(first.row());
            assertThat(hits.get(0).distance()).isCloseTo(first.distance(), within(1e-4));
            for (int i = 1; i < hits.size(); i++) {
                assertThat(hits.get(i).distance()).isGreaterThanOrEqualTo(hits.get(i - 1).distance());
            }
        }
    }

    @Test
    void factoryUsesExactBelowTheHnswMinimum() {
        GalleryIndexFactory factory = new GalleryIndexFactory(GalleryIndexKind.HNSW, 1000, 100, 1);
        try (GalleryIndex small = factory.build(new float[10 * DIM], 10, DIM, KnnDistance.COSINE);
             GalleryIndex large = factory.build(clustered(new Random(1), 1000), 1000, DIM, KnnDistance.COSINE)) {
            assertThat(small).isInstanceOf(ExactGalleryIndex.class);
            assertThat(large).isInstanceOf(HnswGalleryIndex.class);
        }
    }

    private static double recall(KnnDistance distance, int efSearch) {
        Random random = new Random(42);
        float[] vectors = clustered(random, ROWS);
        float[] queries = clustered(random, QUERIES);
        int found = 0;
        try (GalleryIndex exact = new ExactGalleryIndex(vectors, ROWS, DIM, distance, 2);
             GalleryIndex hnsw = new HnswGalleryIndex(vectors, ROWS, DIM, distance, efSearch)) {
            for (int q = 0; q < QUERIES; q++) {
                float[] query = new float[DIM];
                System.arraycopy(queries, q * DIM, query, 0, DIM);
                Set<Integer> truth = new HashSet<>();
                exact.search(query, K, -1).forEach(h -> truth.add(h.row()));
                found += (int) hnsw.search(query, K, -1).stream().filter(h -> truth.contains(h.row())).count();
            }
        }
        double recall = found / (double) (QUERIES * K);
        System.out.printf("HNSW recall@%d vs exact (%s, %d vectors x %d dims, %d clusters, %d queries, M=16,"
                + " beam 100, efSearch %d): %.4f%n", K, distance, ROWS, DIM, CLUSTERS, QUERIES, efSearch, recall);
        return recall;
    }

    /** Rows drawn around CLUSTERS fixed centres (centre seed 99), Gaussian noise of sd NOISE (clusters overlap). */
    private static float[] clustered(Random random, int rows) {
        Random centres = new Random(99);
        float[][] c = new float[CLUSTERS][DIM];
        for (float[] centre : c) {
            for (int d = 0; d < DIM; d++) {
                centre[d] = (float) centres.nextGaussian();
            }
        }
        float[] out = new float[rows * DIM];
        for (int r = 0; r < rows; r++) {
            float[] centre = c[random.nextInt(CLUSTERS)];
            for (int d = 0; d < DIM; d++) {
                out[r * DIM + d] = centre[d] + (float) (NOISE * random.nextGaussian());
            }
        }
        return out;
    }
}
