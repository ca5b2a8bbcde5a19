package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures (prints, does not assert) how long the small CNN takes to load and to embed 10,000
 * random 28x28 images, the size of a Fashion-MNIST test split.
 */
@org.junit.jupiter.api.Tag("benchmark")
class CnnThroughputTest {

    private static final int IMAGES = 10_000;

    @TempDir
    Path dir;

    @Test
    void measuresLoadTimeAndThroughput() throws IOException {
        CnnArchitecture cnn = EmbeddingNetworks.cnn(28, 28, 16);
        long t0 = System.nanoTime();
        EmbeddingNetworks.exportUntrained(cnn, 1, dir.resolve("m"));
        long t1 = System.nanoTime();
        float[] images = ModelFixtures.pixels(51, IMAGES, 28 * 28);
        for (int batchSize : new int[] {64, 256, 1024}) {
            long t2 = System.nanoTime();
            try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("m"), batchSize)) {
                long t3 = System.nanoTime();
                embedder.embed(Arrays.copyOf(images, 512 * 28 * 28), 512); // warm-up: kernels, allocations
                long t4 = System.nanoTime();
                float[] embeddings = embedder.embed(images, IMAGES);
                long t5 = System.nanoTime();
                assertThat(embeddings).hasSize(IMAGES * 16);
                System.out.printf("CNN 28x28x1 -> 16 (16/32 channels), batch %d: export %.0f ms, load %.0f ms, "
                                + "warm-up (512) %.0f ms, %d images in %.0f ms = %.0f images/s (%d cores)%n",
                        batchSize, ms(t1 - t0), ms(t3 - t2), ms(t4 - t3), IMAGES, ms(t5 - t4),
                        IMAGES / ((t5 - t4) / 1e9), Runtime.getRuntime().availableProcessors());
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
