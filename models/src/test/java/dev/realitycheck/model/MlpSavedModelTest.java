package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export an untrained MLP as a SavedModel, load it back, and check what it computes. */
class MlpSavedModelTest {

    private static final MlpArchitecture MLP = EmbeddingNetworks.mlp(784, 32, 64);

    @TempDir
    Path dir;

    private float[] embed(Path model, float[] inputs, int count, int batchSize) throws IOException {
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(model, batchSize)) {
            return embedder.embed(inputs, count);
        }
    }

    @Test
    void reloadsWithShapesFromTheSignatureAndUnitNormRows() throws IOException {
        EmbeddingNetworks.exportUntrained(MLP, 1, dir.resolve("m"));
        float[] inputs = ModelFixtures.gaussian(11, 10, 784);

        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("m"))) {
            assertThat(embedder.inputShape()).containsExactly(784);
            assertThat(embedder.inputSize()).isEqualTo(784);
            assertThat(embedder.embeddingSize()).isEqualTo(32);
            assertThat(embedder.batchSize()).isEqualTo(SavedModelEmbedder.DEFAULT_BATCH_SIZE);
            float[] embeddings = embedder.embed(inputs, 10);
            assertThat(embeddings).hasSize(10 * 32);
            ModelFixtures.assertUnitRows(embeddings, 32);
            assertThat(embedder.embed(new float[0], 0)).isEmpty();
        }
    }

    @Test
    void sameSeedGivesBitIdenticalEmbeddingsAndAnotherSeedOthers() throws IOException {
        EmbeddingNetworks.exportUntrained(MLP, 7, dir.resolve("a"));
        EmbeddingNetworks.exportUntrained(MLP, 7, dir.resolve("b"));
        EmbeddingNetworks.exportUntrained(MLP, 8, dir.resolve("c"));
        float[] inputs = ModelFixtures.gaussian(12, 10, 784);

        float[] a = embed(dir.resolve("a"), inputs, 10, 256);
        float[] b = embed(dir.resolve("b"), inputs, 10, 256);
        float[] c = embed(dir.resolve("c"), inputs, 10, 256);

        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void equalsAPlainJavaForwardPassOverTheSameWeights() throws IOException {
        Weights weights = EmbeddingNetworks.exportUntrained(MLP, 3, dir.resolve("m"));
        float[] inputs = ModelFixtures.gaussian(13, 10, 784);

        float[] tf = embed(dir.resolve("m"), inputs, 10, 256);

        assertThat(tf).containsExactly(MlpReference.embed(MLP, weights, inputs, 10), within(1e-5f));
    }

    @Test
    void appliesThePreprocessingInsideTheGraph() throws IOException {
        InputSpec input = new InputSpec(List.of(4, 4, 2),
                new Preprocessing(1 / 255f, List.of(0.5f, 0.25f), List.of(0.2f, 0.4f)));
        MlpArchitecture mlp = EmbeddingNetworks.mlp(input, 8, List.of(16));
        Weights weights = EmbeddingNetworks.exportUntrained(mlp, 5, dir.resolve("m"));
        float[] pixels = ModelFixtures.pixels(14, 6, 32);

        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("m"))) {
            assertThat(embedder.inputShape()).containsExactly(4, 4, 2);
            assertThat(embedder.embed(pixels, 6))
                    .containsExactly(MlpReference.embed(mlp, weights, pixels, 6), within(1e-5f));
        }
    }

    @Test
    void batchesOfThreeGiveWhatOneBatchGives() throws IOException {
        EmbeddingNetworks.exportUntrained(MLP, 4, dir.resolve("m"));
        float[] inputs = ModelFixtures.gaussian(15, 10, 784);

        float[] oneBatch = embed(dir.resolve("m"), inputs, 10, 256);
        float[] batchesOfThree = embed(dir.resolve("m"), inputs, 10, 3);

        assertThat(batchesOfThree).containsExactly(oneBatch, within(1e-6f));
    }

    @Test
    void rejectsInputsOfTheWrongLengthAndCallsAfterClose() throws IOException {
        EmbeddingNetworks.exportUntrained(MLP, 1, dir.resolve("m"));
        SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("m"));
        try (embedder) {
            assertThatThrownBy(() -> embedder.embed(new float[783], 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 * 784").hasMessageContaining("783");
            assertThatThrownBy(() -> embedder.embed(new float[0], -1)).hasMessageContaining("-1");
        }
        assertThatThrownBy(() -> embedder.embed(new float[784], 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
