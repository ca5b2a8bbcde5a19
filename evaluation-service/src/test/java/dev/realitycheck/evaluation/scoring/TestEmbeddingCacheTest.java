package dev.realitycheck.evaluation.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.knn.Embeddings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The on-disk cache of checkpoints' test embeddings that the concatenation reads. */
class TestEmbeddingCacheTest {

    private static Embeddings random(Random rnd, int rows, int dim, float scale) {
        float[] v = new float[rows * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return new Embeddings(v, rows, dim);
    }

    @Test
    void theCacheRoundTripsAndStaysWithinItsBound() throws Exception {
        Path dir = Files.createTempDirectory("cache");
        Random rnd = new Random(7);
        int[] labels = new int[100];
        Embeddings e = random(rnd, 100, 8, 1f);
        TestEmbeddingCache cache = new TestEmbeddingCache(dir, 3 * (12 + 100 * 8 * 4 + 100 * 4));

        cache.put("ck-0", e, labels);
        assertThat(cache.get("ck-0").orElseThrow().embeddings().values()).containsExactly(e.values());
        for (int i = 1; i < 6; i++) {
            cache.put("ck-" + i, e, labels);
        }

        assertThat(cache.sizeBytes()).isLessThanOrEqualTo(3 * (12 + 100 * 8 * 4 + 100 * 4));
        assertThat(cache.get("ck-5")).isPresent();
        assertThat(cache.get("ck-3")).isPresent();
        assertThat(cache.get("ck-0")).isEmpty();
    }
}
