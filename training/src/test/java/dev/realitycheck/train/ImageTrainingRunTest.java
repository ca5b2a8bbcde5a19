package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.images.ImageDataset;
import dev.realitycheck.data.images.ImageDatasetFixtures;
import dev.realitycheck.data.images.ImageDatasets;
import dev.realitycheck.data.images.ImageFileSource;
import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.ResNetArchitecture;
import dev.realitycheck.model.ResNetVariant;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.Weights;
import dev.realitycheck.train.images.ImageEmbedder;
import dev.realitycheck.train.images.ImageTrainingData;
import dev.realitycheck.train.seeds.Seeds;
import dev.realitycheck.train.images.TensorFlowImageDecoder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small CNN on 16 x 16 RGB crops of a generated image-folder dataset (JPEG/PNG files of varied
 * sizes, 6 classes): batches come from the image pipeline with the paper's training transform, and
 * the weights after N steps are bit-identical whatever the pipeline's worker count, and after a
 * resume from a checkpoint.
 */
class ImageTrainingRunTest {

    static final int CLASSES = 6;
    static final int ITERATIONS = 4;

    @TempDir
    Path tmp;

    ImageDataset dataset;

    @BeforeEach
    void generate() throws Exception {
        dataset = ImageDatasets.read(ImageDatasetFixtures.imageFolders(tmp.resolve("data"), CLASSES, 4));
    }

    static TrainingConfig config(Path checkpoints, int interval) {
        return new TrainingConfig(EmbeddingNetworks.cnn(InputSpec.image(16, 16, 3, Preprocessing.pixels()), 8),
                LossCatalog.create("contrastive", Map.of(), CLASSES, 8), null, RmsProp.of(0.01f), RmsProp.of(0.01f),
                RmsProp.of(0.01f), 12, 2, Augmentation.none(), ITERATIONS, interval, 7, checkpoints,
                SessionThreads.DEFAULT, false);
    }

    Weights train(Path checkpoints, ImageSource source, int workers) throws Exception {
        try (TrainingRun run = TrainingRun.start(config(checkpoints, ITERATIONS), new ImageTrainingData(source, workers),
                null, null)) {
            run.run(new TrainingRunTest.Recorder());
            return run.weights();
        }
    }

    static void assertBitIdentical(Weights actual, Weights expected) {
        assertThat(actual.names()).isEqualTo(expected.names());
        for (String name : expected.names()) {
            assertThat(actual.get(name)).as(name).containsExactly(expected.get(name));
        }
    }

    @Test
    void resNet18TrainsOnThePipelinesRgbCropsAtItsOwnInputSpec() throws Exception {
        ResNetArchitecture resnet = ResNetArchitecture.of(ResNetVariant.RESNET18, 32, 32, 8);
        assertThat(resnet.spec().input().channels()).isEqualTo(3);
        TrainingConfig config = new TrainingConfig(resnet, LossCatalog.create("contrastive", Map.of(), CLASSES, 8),
                null, RmsProp.of(0.01f), RmsProp.of(0.01f), RmsProp.of(0.01f), 12, 2, Augmentation.none(), 2, 2, 7,
                tmp.resolve("resnet"), SessionThreads.DEFAULT, true);
        try (TrainingRun run = TrainingRun.start(config, new ImageTrainingData(new ImageFileSource(dataset), 2),
                null, null)) {
            Weights before = run.weights();
            TrainingRunTest.Recorder recorder = new TrainingRunTest.Recorder();
            run.run(recorder);
            assertThat(recorder.losses).hasSize(2).allSatisfy(l -> assertThat(l).isFinite());
            assertThat(run.weights().get("layer1_0_conv1_weight")).isNotEqualTo(before.get("layer1_0_conv1_weight"));
        }
    }

    @Test
    void oneAndTwoPipelineWorkersGiveTheSameWeights() throws Exception {
        ImageSource source = new ImageFileSource(dataset);
        Weights one = train(tmp.resolve("one"), source, 1);
        Weights two = train(tmp.resolve("two"), source, 2);
        assertBitIdentical(two, one);
        Weights initial = Weights.initial(config(tmp, ITERATIONS).architecture(),
                Seeds.random(7, Seeds.INITIAL, 0).nextLong());
        assertThat(one.get("embedder_kernel")).as("trained").isNotEqualTo(initial.get("embedder_kernel"));
        try (TensorFlowImageDecoder decoder = new TensorFlowImageDecoder()) {
            // the TensorFlow decoder plugged into the file source trains too (its pixels may differ from ImageIO's)
            assertThat(train(tmp.resolve("tf"), new ImageFileSource(dataset, decoder), 2).names()).isEqualTo(one.names());
        }
    }

    @Test
    void aResumedRunEndsWithTheUninterruptedRunsWeights() throws Exception {
        ImageSource source = new ImageFileSource(dataset);
        Weights whole = train(tmp.resolve("whole"), source, 2);
        TrainingConfig interrupted = config(tmp.resolve("killed"), 2);
        try (TrainingRun run = TrainingRun.start(interrupted, new ImageTrainingData(source, 2), null, null)) {
            run.runUntil(2, new TrainingRunTest.Recorder());
        }
        Checkpoint last = TrainingRun.latestCheckpoint(tmp.resolve("killed")).orElseThrow();
        assertThat(last.iteration()).isEqualTo(2);
        try (TrainingRun run = TrainingRun.resume(interrupted, new ImageTrainingData(source, 1), last.state(), null)) {
            run.run(TrainingListener.none());
            assertThat(run.iteration()).isEqualTo(ITERATIONS);
            assertBitIdentical(run.weights(), whole);
            Checkpoint end = run.checkpoint();
            try (SavedModelEmbedder model = SavedModelEmbedder.load(end.model())) {
                ImageEmbedder.Embedded e = ImageEmbedder.embed(source, interrupted.architecture().spec().input(),
                        model.embeddingSize(), 5, 2, model::embed);
                assertThat(e.embeddings().rows()).isEqualTo(dataset.size());
                assertThat(e.labels()).containsExactly(dataset.labels());
                for (float v : e.embeddings().values()) {
                    assertThat(v).isFinite();
                }
            }
        }
    }
}
