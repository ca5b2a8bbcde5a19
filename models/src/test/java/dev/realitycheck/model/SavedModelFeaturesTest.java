package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A SavedModel as a frozen feature extractor: the project's own small CNN exported, read as image ->
 * features, chained with an embedder into one checkpoint model; signatures that do not fit are
 * refused naming the signature and what was expected.
 */
class SavedModelFeaturesTest {

    @TempDir
    Path dir;

    @Test
    void cnnCheckpointServesFeaturesAndChainsWithAnEmbedderIntoOneCheckpointModel() throws IOException {
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.cnn(8, 8, 16), 3, dir.resolve("cnn"));
        float[] images = ModelFixtures.pixels(41, 5, 64);
        float[] expectedFeatures;
        try (SavedModelEmbedder cnn = SavedModelEmbedder.load(dir.resolve("cnn"))) {
            expectedFeatures = cnn.embed(images, 5);
        }

        Weights embedder;
        float[] features;
        try (SavedModelFeatures trunk = SavedModelFeatures.load(dir.resolve("cnn"))) {
            assertThat(trunk.signatureKey()).isEqualTo(EmbedSignature.KEY);
            assertThat(trunk.inputShape()).containsExactly(8, 8, 1);
            assertThat(trunk.featureSize()).isEqualTo(16);
            features = trunk.features(images, 5);
            assertThat(features).containsExactly(expectedFeatures);
            embedder = Weights.initial(trunk.embedder(4), 9);
            trunk.exportChained(embedder, dir.resolve("chained"));
        }

        try (SavedModelEmbedder chained = SavedModelEmbedder.load(dir.resolve("chained"))) {
            assertThat(chained.inputShape()).containsExactly(8, 8, 1);
            assertThat(chained.embeddingSize()).isEqualTo(4);
            float[] expected = MlpReference.embed((MlpArchitecture) embedder.architecture(), embedder, features, 5);
            float[] embeddings = chained.embed(images, 5);
            for (int i = 0; i < expected.length; i++) {
                assertThat(embeddings[i]).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }

    @Test
    void signaturesThatAreNotImageToFeaturesAreRefusedNamingWhatWasExpected() throws IOException {
        ForeignModels.export(dir.resolve("vector"), SavedModelFeatures.DEFAULT_KEY, "x", "y", -1, 4);
        assertThatThrownBy(() -> SavedModelFeatures.load(dir.resolve("vector")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("signature 'serving_default' input 'x' must be an image input DT_FLOAT [-1, H, W, C]")
                .hasMessageContaining("[-1, 4]");

        export(dir.resolve("ints"), true);
        assertThatThrownBy(() -> SavedModelFeatures.load(dir.resolve("ints")))
                .hasMessageContaining("signature 'serving_default' output 'y' must be features DT_FLOAT [-1, F]; is DT_INT32");

        export(dir.resolve("maps"), false);
        assertThatThrownBy(() -> SavedModelFeatures.load(dir.resolve("maps")))
                .hasMessageContaining("signature 'serving_default' tensor 'y' must have rank 2");

        assertThatThrownBy(() -> SavedModelFeatures.load(dir.resolve("nowhere")))
                .hasMessageContaining("no saved_model.pb");
    }

    /** An image input [-1, 2, 2, 1] whose output is the image cast to int32, or the image itself (rank 4). */
    private static void export(Path target, boolean ints) throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, 2, 2, 1)));
            Operand<?> y = ints ? tf.withName("y").dtypes.cast(x, TInt32.class) : tf.withName("y").identity(x);
            try (Session session = new Session(graph)) {
                Signature signature = Signature.builder().key(SavedModelFeatures.DEFAULT_KEY).input("x", x)
                        .output("y", y).build();
                SavedModelBundle.exporter(target.toString()).withTags(EmbedSignature.TAG)
                        .withFunction(SessionFunction.create(signature, session)).export();
            }
        }
    }
}
