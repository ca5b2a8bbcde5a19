package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.model.BnInceptionArchitecture;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One training step of BN-Inception on 32x32 grey images (the smallest side it takes, 1x1 before
 * the global pool): fine-tuned with BatchNorm training, every part moves; as a frozen trunk, only
 * the embedder does, and the trunk gets no optimizer state.
 */
class BnInceptionTrainingTest {

    static final int SIDE = 32;

    @TempDir
    Path tmp;

    static LabeledImages images() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 12;
        byte[] pixels = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
            for (int k = 0; k < SIDE * SIDE; k++) {
                pixels[i * SIDE * SIDE + k] = (byte) (40 * labels[i] + random.nextInt(90));
            }
        }
        return new LabeledImages(SIDE, SIDE, pixels, labels);
    }

    private TrainingConfig config(boolean trainTrunk, boolean freezeBatchNorm) {
        BnInceptionArchitecture arch = new BnInceptionArchitecture(
                InputSpec.image(SIDE, SIDE, 1, Preprocessing.none()), 8, trainTrunk);
        return new TrainingConfig(arch, LossCatalog.create("multi_similarity", Map.of(), 4, 8), null,
                RmsProp.of(1e-3f), RmsProp.of(1e-3f), RmsProp.of(1e-3f), 4, 2, Augmentation.none(), 2, 2, 7,
                tmp, SessionThreads.DEFAULT, freezeBatchNorm);
    }

    /** Values before and after one step, and that step's loss. */
    private record Step(Map<String, float[]> before, Map<String, float[]> after, float loss) {
    }

    private Step oneStep(TrainingConfig config) throws Exception {
        TrainingRunTest.Recorder recorder = new TrainingRunTest.Recorder();
        try (TrainingRun run = TrainingRun.start(config, images())) {
            Map<String, float[]> before = run.state().values();
            run.runUntil(1, recorder);
            return new Step(before, run.state().values(), recorder.losses.getFirst());
        }
    }

    @Test
    void fineTunedStepMovesTrunkEmbedderAndBatchNormStatistics() throws Exception {
        Step step = oneStep(config(true, false));

        assertThat(step.loss()).isFinite();
        for (String name : new String[] {"conv1_7x7_s2_kernel", "inception_5b_pool_proj_bias",
                "inception_3a_1x1_bn_gamma", "conv1_7x7_s2_bn_moving_mean", "embedder_kernel"}) {
            assertThat(step.after().get(name)).as(name).isNotEqualTo(step.before().get(name));
        }
    }

    @Test
    void frozenTrunkTrainsOnlyTheEmbedder() throws Exception {
        Step step = oneStep(config(false, true));

        assertThat(step.loss()).isFinite();
        assertThat(step.after().get("embedder_kernel")).isNotEqualTo(step.before().get("embedder_kernel"));
        for (String name : new String[] {"conv1_7x7_s2_kernel", "inception_5b_pool_proj_bias",
                "inception_3a_1x1_bn_gamma", "conv1_7x7_s2_bn_moving_mean"}) {
            assertThat(step.after().get(name)).as(name).containsExactly(step.before().get(name));
        }
        assertThat(step.after().keySet()).filteredOn(k -> k.startsWith("conv1_7x7_s2_kernel_")).isEmpty();
        assertThat(step.after().keySet()).filteredOn(k -> k.startsWith("embedder_kernel_")).isNotEmpty();
    }
}
