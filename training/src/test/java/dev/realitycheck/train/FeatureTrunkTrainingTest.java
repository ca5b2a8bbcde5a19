package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.MlpReference;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.SavedModelFeatures;
import dev.realitycheck.model.Weights;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a frozen SavedModel feature extractor (the project's small CNN, exported): only the
 * embedder trains, on features computed per batch, and each checkpoint is one model chaining both.
 */
class FeatureTrunkTrainingTest {

    @TempDir
    Path tmp;

    @Test
    void embedderTrainsOnFrozenFeaturesAndCheckpointsChainBoth() throws Exception {
        LabeledImages data = TrainingRunTest.images();
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.cnn(TrainingRunTest.H, TrainingRunTest.W, 16), 2,
                tmp.resolve("trunk"));
        TrainingRunTest.Recorder recorder = new TrainingRunTest.Recorder();
        float[] inputs = TrainingRunTest.rawPixels(data, 6);
        try (SavedModelFeatures features = SavedModelFeatures.load(tmp.resolve("trunk"))) {
            TrainingConfig config = new TrainingConfig(features.embedder(4),
                    LossCatalog.create("contrastive", Map.of(), TrainingRunTest.CLASSES, 4), null, RmsProp.of(0.01f),
                    RmsProp.of(0.01f), RmsProp.of(0.01f), 12, 2, Augmentation.none(), 6, 6, 13, tmp.resolve("run"),
                    SessionThreads.DEFAULT);
            Weights trained;
            Weights initial;
            try (TrainingRun run = TrainingRun.start(config, data, features)) {
                initial = run.weights();
                run.run(recorder);
                trained = run.weights();
            }
            assertThat(recorder.losses).hasSize(6).allMatch(Float::isFinite);
            assertThat(trained.get("embedder_kernel")).isNotEqualTo(initial.get("embedder_kernel"));
            assertThat(trained.names()).containsExactly("embedder_kernel", "embedder_bias");

            float[] f = features.features(inputs, 6);
            try (SavedModelEmbedder chained = SavedModelEmbedder.load(recorder.checkpoints.getLast().model())) {
                assertThat(chained.inputShape()).containsExactly(TrainingRunTest.H, TrainingRunTest.W, 1);
                float[] e = chained.embed(inputs, 6);
                float[] expected = MlpReference.embed(features.embedder(4), trained, f, 6);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(e[i]).isCloseTo(expected[i], within(1e-5f));
                }
            }
            try (TrainingRun resumed = TrainingRun.resume(config, data, recorder.checkpoints.getLast().state(),
                    features)) {
                assertThat(resumed.iteration()).isEqualTo(6);
                assertThat(resumed.weights().get("embedder_kernel")).containsExactly(trained.get("embedder_kernel"));
            }
        }
    }
}
