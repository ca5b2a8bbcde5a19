package dev.realitycheck.train;

import static dev.realitycheck.train.ImageTrainingRunTest.CLASSES;
import static dev.realitycheck.train.ImageTrainingRunTest.ITERATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.data.images.ImageDataset;
import dev.realitycheck.data.images.ImageDatasetFixtures;
import dev.realitycheck.data.images.ImageDatasets;
import dev.realitycheck.data.images.ImageFileSource;
import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.MlpArchitecture;
import dev.realitycheck.model.MlpReference;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.SavedModelFeatures;
import dev.realitycheck.model.Weights;
import dev.realitycheck.train.images.ImageEmbedder;
import dev.realitycheck.train.images.ImageTrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frozen SavedModel feature extractor (the small CNN on 16 x 16 RGB, exported untrained) on a
 * generated image-folder dataset: the pipeline crops at the extractor's input size with the
 * training transform, each batch goes through the extractor forward only, and the embedder trains
 * on the features; the weights do not depend on the worker count, a resumed run ends bit-identical,
 * and the chained checkpoint embeds the evaluation crops as extractor + trained embedder do.
 */
class ImageFeatureTrunkTrainingTest {

    @TempDir
    Path tmp;

    ImageDataset dataset;
    ImageSource source;

    @BeforeEach
    void generateImagesAndExtractor() throws Exception {
        dataset = ImageDatasets.read(ImageDatasetFixtures.imageFolders(tmp.resolve("data"), CLASSES, 4));
        source = new ImageFileSource(dataset);
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.cnn(InputSpec.image(16, 16, 3, Preprocessing.pixels()), 8),
                2, tmp.resolve("trunk"));
    }

    static TrainingConfig featureConfig(SavedModelFeatures features, Path checkpoints, int interval) {
        return new TrainingConfig(features.embedder(4), LossCatalog.create("contrastive", Map.of(), CLASSES, 4), null,
                RmsProp.of(0.01f), RmsProp.of(0.01f), RmsProp.of(0.01f), 12, 2, Augmentation.none(), ITERATIONS,
                interval, 7, checkpoints, SessionThreads.DEFAULT);
    }

    @Test
    void embedderTrainsOnTheExtractorsFeaturesOfThePipelinesCrops() throws Exception {
        try (SavedModelFeatures features = SavedModelFeatures.load(tmp.resolve("trunk"))) {
            TrainingConfig config = featureConfig(features, tmp.resolve("run"), ITERATIONS);
            Recording one = new Recording(new ImageTrainingData(source, 1));
            TrainingRunTest.Recorder recorder = new TrainingRunTest.Recorder();
            Weights initial;
            Weights trained;
            try (TrainingRun run = TrainingRun.start(config, one, null, features)) {
                initial = run.weights();
                run.run(recorder);
                trained = run.weights();
            }
            assertThat(recorder.losses).hasSize(ITERATIONS).allMatch(Float::isFinite);
            assertThat(trained.names()).containsExactly("embedder_kernel", "embedder_bias");
            assertThat(trained.get("embedder_kernel")).isNotEqualTo(initial.get("embedder_kernel"));
            // the pipeline built crops at the extractor's input (16 x 16 x 3), not at the embedder's feature vector
            assertThat(one.sizes).hasSize(ITERATIONS).allMatch(s -> s == 12 * 16 * 16 * 3);

            try (TrainingRun run = TrainingRun.start(featureConfig(features, tmp.resolve("two"), ITERATIONS),
                    new ImageTrainingData(source, 2), null, features)) {
                run.run(TrainingListener.none());
                ImageTrainingRunTest.assertBitIdentical(run.weights(), trained);
            }

            TrainingConfig interrupted = featureConfig(features, tmp.resolve("killed"), 2);
            try (TrainingRun run = TrainingRun.start(interrupted, new ImageTrainingData(source, 2), null, features)) {
                run.runUntil(2, TrainingListener.none());
            }
            Checkpoint half = TrainingRun.latestCheckpoint(tmp.resolve("killed")).orElseThrow();
            try (TrainingRun run = TrainingRun.resume(interrupted, new ImageTrainingData(source, 1), half.state(),
                    features)) {
                run.run(TrainingListener.none());
                ImageTrainingRunTest.assertBitIdentical(run.weights(), trained);
            }

            InputSpec crops = InputSpec.image(16, 16, 3, Preprocessing.none());
            MlpArchitecture embedder = features.embedder(4);
            try (SavedModelEmbedder chained = SavedModelEmbedder.load(recorder.checkpoints.getLast().model())) {
                assertThat(chained.inputShape()).containsExactly(16, 16, 3);
                float[] served = ImageEmbedder.embed(source, crops, 4, 5, 2, chained::embed).embeddings().values();
                float[] expected = ImageEmbedder.embed(source, crops, 4, 5, 2,
                        (x, n) -> MlpReference.embed(embedder, trained, features.features(x, n), n)).embeddings().values();
                assertThat(served).hasSize(dataset.size() * 4);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(served[i]).isCloseTo(expected[i], within(1e-5f));
                }
            }
        }
    }

    /** The streamed data, recording each batch's value count. */
    private static final class Recording implements TrainingData.Streamed {
        private final TrainingData.Streamed inner;
        final List<Integer> sizes = new ArrayList<>();

        Recording(TrainingData.Streamed inner) {
            this.inner = inner;
        }

        @Override
        public int[] labels() {
            return inner.labels();
        }

        @Override
        public TrainingData.Batches open(MPerClassSampler sampler, InputSpec input, long seed, long firstBatch) {
            TrainingData.Batches batches = inner.open(sampler, input, seed, firstBatch);
            return new TrainingData.Batches() {
                @Override
                public TrainingData.Batch next() throws IOException {
                    TrainingData.Batch b = batches.next();
                    sizes.add(b.values().length);
                    return b;
                }

                @Override
                public void close() {
                    batches.close();
                }
            };
        }
    }
}
