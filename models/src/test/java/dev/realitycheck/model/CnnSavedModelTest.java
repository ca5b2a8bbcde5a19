package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export an untrained small CNN (conv-BN-ReLU-pool twice) as a SavedModel and run it. */
class CnnSavedModelTest {

    private static final CnnArchitecture CNN = EmbeddingNetworks.cnn(28, 28, 16);
    private static final int PIXELS = 28 * 28;

    @TempDir
    Path dir;

    private float[] embed(Path model, float[] inputs, int count, int batchSize) throws IOException {
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(model, batchSize)) {
            return embedder.embed(inputs, count);
        }
    }

    @Test
    void reloadsAsImagesToUnitNormEmbeddings() throws IOException {
        EmbeddingNetworks.exportUntrained(CNN, 1, dir.resolve("m"));
        float[] images = ModelFixtures.pixels(21, 10, PIXELS);

        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("m"))) {
            assertThat(embedder.inputShape()).containsExactly(28, 28, 1);
            assertThat(embedder.embeddingSize()).isEqualTo(16);
            float[] embeddings = embedder.embed(images, 10);
            assertThat(embeddings).hasSize(10 * 16);
            ModelFixtures.assertUnitRows(embeddings, 16);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalEmbeddingsAndAnotherSeedOthers() throws IOException {
        EmbeddingNetworks.exportUntrained(CNN, 7, dir.resolve("a"));
        EmbeddingNetworks.exportUntrained(CNN, 7, dir.resolve("b"));
        EmbeddingNetworks.exportUntrained(CNN, 8, dir.resolve("c"));
        float[] images = ModelFixtures.pixels(22, 10, PIXELS);

        float[] a = embed(dir.resolve("a"), images, 10, 256);

        assertThat(embed(dir.resolve("b"), images, 10, 256)).containsExactly(a);
        assertThat(embed(dir.resolve("c"), images, 10, 256)).isNotEqualTo(a);
    }

    @Test
    void batchesOfThreeGiveWhatOneBatchGives() throws IOException {
        EmbeddingNetworks.exportUntrained(CNN, 4, dir.resolve("m"));
        float[] images = ModelFixtures.pixels(23, 10, PIXELS);

        float[] oneBatch = embed(dir.resolve("m"), images, 10, 256);

        assertThat(embed(dir.resolve("m"), images, 10, 3)).containsExactly(oneBatch, within(1e-6f));
    }

    @Test
    void batchNormStatisticsTravelWithTheModel() throws IOException {
        // gamma, beta and the moving statistics must travel too: with a shifted moving mean the
        // embeddings change, so the loaded model really uses the exported values
        Weights plain = Weights.initial(CNN, 9);
        Map<String, float[]> shifted = new HashMap<>();
        for (String name : plain.names()) {
            shifted.put(name, plain.get(name));
        }
        Arrays.fill(shifted.get("bn2_moving_mean"), 0.5f);
        SavedModelExporter.export(plain, dir.resolve("plain"));
        SavedModelExporter.export(Weights.of(CNN, shifted), dir.resolve("shifted"));
        float[] images = ModelFixtures.pixels(24, 4, PIXELS);

        assertThat(embed(dir.resolve("shifted"), images, 4, 256))
                .isNotEqualTo(embed(dir.resolve("plain"), images, 4, 256));
    }

    @Test
    void exportedModelComputesWhatAHandComputationWithTheMovingStatisticsGives() throws IOException {
        CnnArchitecture tiny = new CnnArchitecture(InputSpec.image(8, 6, 1, Preprocessing.pixels()), 3, 2, 5);
        Weights initial = Weights.initial(tiny, 12);
        java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        Map<String, float[]> values = new HashMap<>();
        for (String name : initial.names()) {
            float[] v = initial.get(name);
            if (name.startsWith("bn")) {
                for (int i = 0; i < v.length; i++) {
                    // moving variances must be positive; everything else any value
                    v[i] = name.endsWith("variance") ? (float) random.nextDouble(0.01, 0.5)
                            : (float) random.nextDouble(-0.5, 0.5);
                }
            }
            values.put(name, v);
        }
        Weights weights = Weights.of(tiny, values);
        SavedModelExporter.export(weights, dir.resolve("tiny"));
        float[] images = ModelFixtures.pixels(25, 3, 8 * 6);

        assertThat(embed(dir.resolve("tiny"), images, 3, 256))
                .containsExactly(CnnReference.embed(weights, images, 3), within(2e-5f));
    }
}
