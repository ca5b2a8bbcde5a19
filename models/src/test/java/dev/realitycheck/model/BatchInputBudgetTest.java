package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's call batch follows its input size ({@link SavedModelEmbedder#load(Path, int, long)}):
 * under the services' default budget of 64 MiB of float inputs a 227x227x3 model embeds 108 items per
 * TensorFlow call where a 28x28x1 one keeps the configured 256, and the vectors do not change.
 */
class BatchInputBudgetTest {

    @TempDir
    Path dir;

    @Test
    void theBudgetCapsItemsPerCallByTheirInputBytesWithTheConfiguredNumberAsUpperBound() {
        long budget = SavedModelEmbedder.DEFAULT_BATCH_INPUT_BYTES;
        assertThat(SavedModelEmbedder.batchSizeWithin(256, budget, 227 * 227 * 3)).isEqualTo(108);
        assertThat(SavedModelEmbedder.batchSizeWithin(256, budget, 28 * 28)).isEqualTo(256);
        assertThat(SavedModelEmbedder.batchSizeWithin(64, budget, 227 * 227 * 3)).isEqualTo(64);
        assertThat(SavedModelEmbedder.batchSizeWithin(256, 1, 28 * 28)).as("one item always fits").isEqualTo(1);
        assertThatThrownBy(() -> SavedModelEmbedder.batchSizeWithin(256, 0, 28 * 28))
                .hasMessageContaining("must be positive");
    }

    @Test
    void aLargeInputModelGetsASmallerCallBatchThanASmallOneAndTheSameVectors() throws Exception {
        CnnArchitecture large = EmbeddingNetworks.cnn(InputSpec.image(227, 227, 3, Preprocessing.imagenet()), 8);
        EmbeddingNetworks.exportUntrained(large, 4, dir.resolve("large"));
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.cnn(28, 28, 8), 4, dir.resolve("small"));
        long budget = SavedModelEmbedder.DEFAULT_BATCH_INPUT_BYTES;
        try (SavedModelEmbedder a = SavedModelEmbedder.load(dir.resolve("large"), 256, budget);
             SavedModelEmbedder b = SavedModelEmbedder.load(dir.resolve("small"), 256, budget)) {
            assertThat(a.batchSize()).isEqualTo(108);
            assertThat(b.batchSize()).isEqualTo(256);
        }

        // 5 images in calls of 2 (a budget of two images' bytes) give the vectors of one call of 5
        float[] inputs = ModelFixtures.gaussian(9, 5, large.spec().input().size());
        long twoImages = 2L * Float.BYTES * large.spec().input().size();
        try (SavedModelEmbedder budgeted = SavedModelEmbedder.load(dir.resolve("large"), 256, twoImages);
             SavedModelEmbedder whole = SavedModelEmbedder.load(dir.resolve("large"), 256)) {
            assertThat(budgeted.batchSize()).isEqualTo(2);
            float[] expected = whole.embed(inputs, 5);
            float[] actual = budgeted.embed(inputs, 5);
            assertThat(actual).hasSize(5 * 8);
            for (int i = 0; i < actual.length; i++) {
                assertThat(actual[i]).as("value %d", i).isCloseTo(expected[i], within(1e-6f));
            }
        }
    }
}
