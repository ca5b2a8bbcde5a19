package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.model.ResNetArchitecture;
import dev.realitycheck.model.ResNetVariant;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.Weights;
import dev.realitycheck.train.TrainingRunTest.Recorder;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ResNet-18 (32x32 inputs, batch 4) in the training loop: with frozen BatchNorm (the paper's
 * setting) the loss falls, BatchNorm stays as it was, a killed run resumes bit for bit; with a
 * fixed trunk only the embedder trains. The grey images are fed as RGB.
 */
class ResNetTrainingTest {

    private static final int SIDE = 32;
    private static final int CLASSES = 4;
    private static final ResNetArchitecture RESNET18 = ResNetArchitecture.of(ResNetVariant.RESNET18, SIDE, SIDE, 8);

    @TempDir
    Path tmp;

    /** Per class a horizontal band of bright rows, the rest noise. */
    static LabeledImages images() {
        SplittableRandom random = new SplittableRandom(21);
        int n = CLASSES * 6;
        byte[] pixels = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int y = 0; y < SIDE; y++) {
                boolean band = y / (SIDE / CLASSES) == labels[i];
                for (int x = 0; x < SIDE; x++) {
                    pixels[(i * SIDE + y) * SIDE + x] = (byte) ((band ? 160 : 0) + random.nextInt(96));
                }
            }
        }
        return new LabeledImages(SIDE, SIDE, pixels, labels);
    }

    static TrainingConfig config(ResNetArchitecture network, Path checkpoints, int iterations, int interval) {
        return new TrainingConfig(network, LossCatalog.create("contrastive", Map.of(), CLASSES, 8), null,
                new Adam(1e-3f, 0.9f, 0.999f, 1e-8f, 0f), new Adam(1e-2f, 0.9f, 0.999f, 1e-8f, 0f),
                new Adam(1e-2f, 0.9f, 0.999f, 1e-8f, 0f), 4, 2, Augmentation.none(), iterations, interval, 5,
                checkpoints, SessionThreads.DEFAULT, true);
    }

    @Test
    void frozenBatchNormResNet18LearnsKeepsItsStatisticsAndResumesBitForBit() throws Exception {
        LabeledImages data = images();
        Recorder whole = new Recorder();
        Weights before;
        Weights after;
        try (TrainingRun run = TrainingRun.start(config(RESNET18, tmp.resolve("whole"), 12, 6), data)) {
            before = run.weights();
            run.run(whole);
            after = run.weights();
        }
        double early = whole.losses.subList(0, 4).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        double late = whole.losses.subList(8, 12).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        assertThat(late).as("losses %s", whole.losses).isLessThan(early);
        assertThat(after.get("layer3_1_bn2_running_var")).isEqualTo(before.get("layer3_1_bn2_running_var"));
        assertThat(after.get("bn1_weight")).isEqualTo(before.get("bn1_weight"));
        assertThat(after.get("layer1_0_conv1_weight")).isNotEqualTo(before.get("layer1_0_conv1_weight"));

        Recorder resumed = new Recorder();
        try (TrainingRun run = TrainingRun.start(config(RESNET18, tmp.resolve("killed"), 12, 6), data)) {
            run.runUntil(6, resumed);
        }
        Checkpoint last = TrainingRun.latestCheckpoint(tmp.resolve("killed")).orElseThrow();
        try (TrainingRun run = TrainingRun.resume(config(RESNET18, tmp.resolve("killed"), 12, 6), data,
                last.state())) {
            run.run(resumed);
        }
        assertThat(TrainingRunTest.bits(resumed.losses)).isEqualTo(TrainingRunTest.bits(whole.losses));

        float[] grey = new float[2 * SIDE * SIDE];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = data.pixels()[i] & 0xFF;
        }
        float[] rgb = dev.realitycheck.model.GreyImages.toChannels(grey, 3);
        try (SavedModelEmbedder a = SavedModelEmbedder.load(whole.checkpoints.getLast().model());
             SavedModelEmbedder b = SavedModelEmbedder.load(resumed.checkpoints.getLast().model())) {
            assertThat(a.inputShape()).containsExactly(SIDE, SIDE, 3);
            assertThat(b.embed(rgb, 2)).isEqualTo(a.embed(rgb, 2));
        }
    }

    @Test
    void aFixedTrunkTrainsOnlyTheEmbedder() throws Exception {
        ResNetArchitecture fixed = RESNET18.withTrainTrunk(false);
        Weights before;
        Weights after;
        try (TrainingRun run = TrainingRun.start(config(fixed, tmp, 2, 2), images())) {
            before = run.weights();
            run.run(new Recorder());
            after = run.weights();
        }
        for (String name : before.names()) {
            if (name.startsWith("embedder_")) {
                assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
            } else {
                assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
            }
        }
    }
}
