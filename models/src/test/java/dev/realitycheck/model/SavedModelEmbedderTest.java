package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading refuses what is not a checkpoint model; a loaded one serves concurrent callers. */
class SavedModelEmbedderTest {

    @TempDir
    Path dir;

    @Test
    void rejectsASavedModelWithoutTheEmbedSignatureNamingThePath() throws IOException {
        Path model = dir.resolve("serving");
        ForeignModels.export(model, "serving_default", "images", "embeddings", -1, 4);

        assertThatThrownBy(() -> SavedModelEmbedder.load(model))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith(model + ": ")
                .hasMessageContaining("no signature 'embed'")
                .hasMessageContaining("serving_default");
    }

    @Test
    void rejectsOtherTensorNames() throws IOException {
        Path model = dir.resolve("named");
        ForeignModels.export(model, "embed", "x", "embeddings", -1, 4);

        assertThatThrownBy(() -> SavedModelEmbedder.load(model))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage(model + ": signature 'embed' must have exactly one input 'images', has [x]");
    }

    @Test
    void rejectsAnInputWithoutAnUnknownBatchDimension() throws IOException {
        Path model = dir.resolve("fixed");
        ForeignModels.export(model, "embed", "images", "embeddings", 2, 4);

        assertThatThrownBy(() -> SavedModelEmbedder.load(model))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith(model + ": ")
                .hasMessageContaining("'images' must have rank 2 or 4, an unknown batch dimension")
                .hasMessageContaining("[2, 4]");
    }

    @Test
    void rejectsADirectoryThatIsNotASavedModel() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path broken = Files.createDirectory(dir.resolve("broken"));
        Files.write(broken.resolve("saved_model.pb"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> SavedModelEmbedder.load(empty))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage(empty + ": not a SavedModel directory: no saved_model.pb");
        assertThatThrownBy(() -> SavedModelEmbedder.load(broken))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith(broken + ": TensorFlow cannot load it with tag 'serve'");
        assertThatThrownBy(() -> SavedModelEmbedder.load(empty, 0)).hasMessageContaining("was 0");
    }

    @Test
    void concurrentCallersGetWhatASingleCallerGets() throws Exception {
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.mlp(20, 8, 16), 2, dir.resolve("m"));
        float[] inputs = ModelFixtures.gaussian(31, 50, 20);
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("m"), 7)) {
            float[] expected = embedder.embed(inputs, 50);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    results.add(pool.submit(() -> embedder.embed(inputs, 50)));
                }
                for (Future<float[]> result : results) {
                    assertThat(result.get()).containsExactly(expected);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void inputsWrittenStraightIntoTheTensorGiveWhatAnArrayGives() throws Exception {
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.mlp(20, 8, 16), 3, dir.resolve("w"));
        float[] inputs = ModelFixtures.gaussian(5, 12, 20);
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("w"), 7)) {
            // 5 items fit one TensorFlow batch of 7 (written into the tensor); 12 do not (heap array path).
            for (int count : new int[] {5, 12}) {
                float[] expected = embedder.embed(java.util.Arrays.copyOf(inputs, count * 20), count);
                float[] direct = embedder.embed(count, target -> {
                    // two writes, as a server joining two requests does
                    target.offset(0).write(inputs, 0, 20);
                    target.offset(20).write(inputs, 20, (count - 1) * 20);
                });
                assertThat(direct).containsExactly(expected);
            }
        }
    }
}
