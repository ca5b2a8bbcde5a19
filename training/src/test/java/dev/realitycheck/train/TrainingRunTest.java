package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.loss.miner.TripletMarginMiner;
import dev.realitycheck.model.Architecture;
import dev.realitycheck.model.CnnArchitecture;
import dev.realitycheck.model.CnnReference;
import dev.realitycheck.model.BatchNorm;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Weights;
import dev.realitycheck.model.MlpArchitecture;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tiny MLP (and a tiny CNN with BatchNorm) on 8x8 synthetic images of 6 classes: runs are
 * reproducible bit for bit, a run killed after a checkpoint and resumed from it continues exactly
 * as the uninterrupted run, and BatchNorm trains or stays frozen as the setting says.
 */
class TrainingRunTest {

    static final int H = 8;
    static final int W = 8;
    static final int CLASSES = 6;
    static final int PER_CLASS = 10;

    @TempDir
    Path tmp;

    static LabeledImages images() {
        SplittableRandom random = new SplittableRandom(11);
        int n = CLASSES * PER_CLASS;
        byte[] pixels = new byte[n * H * W];
        int[] labels = new int[n];
        int[][] centres = new int[CLASSES][H * W];
        for (int[] c : centres) {
            for (int k = 0; k < c.length; k++) {
                c[k] = random.nextInt(200);
            }
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int k = 0; k < H * W; k++) {
                pixels[i * H * W + k] = (byte) Math.min(255, centres[labels[i]][k] + random.nextInt(56));
            }
        }
        return new LabeledImages(H, W, pixels, labels);
    }

    /** A tiny CNN with BatchNorm: 2 and 3 channels, embedding size 4. */
    static final CnnArchitecture CNN = new CnnArchitecture(InputSpec.image(H, W, 1, Preprocessing.pixels()), 2, 3, 4);

    /** The warm-up and clipping of the {@code warm:} configs: the warm-up outlasts a resume at 10, 0.5 clips. */
    static final UpdateSettings WARM_AND_CLIPPED = new UpdateSettings(15, 0.5f);

    /**
     * @param lossName a loss name, {@code +semihard} for the semihard triplet miner; prefixed with
     *                 {@code cnn:} for the tiny {@link #CNN} (BatchNorm training) instead of the MLP,
     *                 or with {@code warm:} for the MLP with the paper's RMSprop (momentum, weight
     *                 decay) on the trunk and {@link #WARM_AND_CLIPPED}
     */
    static TrainingConfig config(String lossName, Path checkpoints, long seed, int interval) {
        if (lossName.startsWith("warm:")) {
            TrainingConfig plain = config(lossName.substring(5), checkpoints, seed, interval);
            return new TrainingConfig(plain.architecture(), plain.loss(), plain.miner(),
                    new RmsProp(0.01f, 0.99f, 1e-8f, 1e-4f, 0.9f), plain.embedderOptimizer(), plain.lossOptimizer(),
                    plain.batchSize(), plain.m(), plain.augmentation(), plain.iterations(), plain.checkpointInterval(),
                    plain.seed(), plain.checkpoints(), plain.threads()).withUpdates(WARM_AND_CLIPPED);
        }
        boolean cnn = lossName.startsWith("cnn:");
        lossName = cnn ? lossName.substring(4) : lossName;
        boolean mined = lossName.endsWith("+semihard");
        String name = mined ? lossName.substring(0, lossName.indexOf('+')) : lossName;
        Architecture network = cnn ? CNN
                : new MlpArchitecture(InputSpec.image(H, W, 1, Preprocessing.pixels()), List.of(16), 4);
        return new TrainingConfig(network, LossCatalog.create(name, Map.of(), CLASSES, 4),
                mined ? new TripletMarginMiner(TripletMarginMiner.Type.SEMIHARD) : null,
                new Adam(0.01f, 0.9f, 0.999f, 1e-8f, 1e-4f), new Sgd(0.05f, 0.9f, 0f), 12, 2,
                new Augmentation(1, true), 20, interval, seed, checkpoints, SessionThreads.DEFAULT);
    }

    /** Collects losses. */
    static final class Recorder implements TrainingListener {
        final List<Float> losses = new ArrayList<>();
        final List<Checkpoint> checkpoints = new ArrayList<>();

        @Override
        public void onProgress(TrainingProgress progress) {
            assertThat(progress.iteration()).isEqualTo(losses.size() + 1L);
            assertThat(progress.imagesPerSecond()).isPositive();
            losses.add(progress.loss());
        }

        @Override
        public void onCheckpoint(Checkpoint checkpoint) {
            checkpoints.add(checkpoint);
        }
    }

    static List<Integer> bits(List<Float> losses) {
        return losses.stream().map(Float::floatToRawIntBits).toList();
    }

    @Test
    void sameSeedSameLossesBitForBit() throws Exception {
        LabeledImages data = images();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        try (TrainingRun run = TrainingRun.start(config("contrastive", tmp.resolve("a"), 5, 100), data)) {
            run.run(a);
        }
        try (TrainingRun run = TrainingRun.start(config("contrastive", tmp.resolve("b"), 5, 100), data)) {
            run.run(b);
        }
        assertThat(a.losses).hasSize(20).allMatch(Float::isFinite);
        assertThat(bits(a.losses)).isEqualTo(bits(b.losses));
        double early = a.losses.subList(0, 5).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        double late = a.losses.subList(15, 20).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        assertThat(late).as("losses %s", a.losses).isLessThan(early);
        Recorder c = new Recorder();
        try (TrainingRun run = TrainingRun.start(config("contrastive", tmp.resolve("c"), 6, 100), data)) {
            run.run(c);
        }
        assertThat(bits(c.losses)).isNotEqualTo(bits(a.losses));
    }

    /**
     * With two inter-op threads the MLP's batch runs through the trunk in two halves side by side:
     * the same losses as the whole batch up to float rounding (the shared weights' gradients are
     * summed over the halves), for fed batches and for rows gathered from the resident images.
     * The split runs keep bit-identity run to run.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void halvesOfTheBatchTrainAsTheWholeBatchUpToRounding(boolean augmented) throws Exception {
        LabeledImages data = images();
        List<List<Float>> losses = new ArrayList<>();
        for (SessionThreads threads : List.of(new SessionThreads(1, 1), new SessionThreads(1, 2),
                new SessionThreads(1, 2))) {
            TrainingConfig plain = config("multi_similarity", tmp.resolve("t" + losses.size()), 3, 100);
            Recorder r = new Recorder();
            try (TrainingRun run = TrainingRun.start(new TrainingConfig(plain.architecture(), plain.loss(), null,
                    plain.trunkOptimizer(), plain.embedderOptimizer(), plain.lossOptimizer(), plain.batchSize(),
                    plain.m(), augmented ? plain.augmentation() : Augmentation.none(), plain.iterations(),
                    plain.checkpointInterval(), plain.seed(), plain.checkpoints(), threads), data)) {
                run.run(r);
            }
            losses.add(r.losses);
        }
        assertThat(bits(losses.get(2))).isEqualTo(bits(losses.get(1)));
        assertThat(losses.get(1)).hasSize(20);
        for (int i = 0; i < 20; i++) {
            float whole = losses.get(0).get(i);
            assertThat(losses.get(1).get(i)).as("step %d of %s against %s", i + 1, losses.get(1), losses.get(0))
                    .isCloseTo(whole, within(1e-4f * Math.max(1f, Math.abs(whole))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy_anchor", "triplet_margin+semihard", "cnn:multi_similarity", "warm:proxy_anchor"})
    void killedAndResumedRunContinuesExactly(String loss) throws Exception {
        LabeledImages data = images();
        Recorder whole = new Recorder();
        try (TrainingRun run = TrainingRun.start(config(loss, tmp.resolve("whole"), 3, 10), data)) {
            run.run(whole);
        }
        Recorder first = new Recorder();
        try (TrainingRun run = TrainingRun.start(config(loss, tmp.resolve("killed"), 3, 10), data)) {
            run.runUntil(10, first);
            assertThat(first.checkpoints).hasSize(1);
        }
        Checkpoint last = TrainingRun.latestCheckpoint(tmp.resolve("killed")).orElseThrow();
        assertThat(last.iteration()).isEqualTo(10);
        Recorder second = new Recorder();
        second.losses.addAll(first.losses);
        try (TrainingRun run = TrainingRun.resume(config(loss, tmp.resolve("killed"), 3, 10), data, last.state())) {
            assertThat(run.iteration()).isEqualTo(10);
            run.run(second);
        }
        assertThat(bits(second.losses)).isEqualTo(bits(whole.losses));
        TrainingState a = TrainingState.read(whole.checkpoints.getLast().state());
        TrainingState b = TrainingState.read(second.checkpoints.getLast().state());
        assertThat(a.iteration()).isEqualTo(20);
        assertThat(b.values().keySet()).containsExactlyElementsOf(a.values().keySet());
        a.values().forEach((name, v) -> assertThat(b.values().get(name)).as(name).containsExactly(v));
        if (loss.startsWith("cnn:")) {
            // the moving statistics travel in the state: moved away from their initial zeros, and equal
            assertThat(a.values().get("bn2_moving_mean")).isNotEqualTo(new float[CNN.channels2()]);
        }
        if (loss.startsWith("warm:")) {
            // the trunk's RMSprop momentum buffer travels in the state too
            assertThat(a.values().get("dense0_kernel_momentum_buffer")).isNotEqualTo(new float[16 * H * W]);
            Recorder plain = new Recorder();
            try (TrainingRun run = TrainingRun.start(config(loss, tmp.resolve("plain"), 3, 10)
                    .withUpdates(UpdateSettings.NONE), data)) {
                run.runUntil(2, plain);
            }
            assertThat(plain.losses.get(0)).isEqualTo(whole.losses.get(0)); // same start
            assertThat(plain.losses.get(1)).as("warm-up and clipping change the first step")
                    .isNotEqualTo(whole.losses.get(1));
        }
        for (var spec : config(loss, tmp, 3, 10).loss().parameters()) {
            // loss parameters are trained by their own optimizer (SGD with momentum here)
            assertThat(a.values()).containsKey(spec.name() + "_momentum");
            assertThat(a.values().get(spec.name() + "_momentum")).isNotEqualTo(new float[spec.size()]);
        }

        float[] inputs = rawPixels(data, CLASSES);
        try (SavedModelEmbedder x = SavedModelEmbedder.load(whole.checkpoints.getLast().model());
             SavedModelEmbedder y = SavedModelEmbedder.load(second.checkpoints.getLast().model())) {
            assertThat(y.embed(inputs, CLASSES)).containsExactly(x.embed(inputs, CLASSES));
        }
    }

    static TrainingConfig cnnConfig(Path checkpoints, boolean freezeBatchNorm) {
        return new TrainingConfig(CNN, LossCatalog.create("multi_similarity", Map.of(), CLASSES, 4), null,
                RmsProp.of(0.01f), RmsProp.of(0.01f), RmsProp.of(0.01f), 12, 2, new Augmentation(1, true), 3, 3, 4, checkpoints,
                SessionThreads.DEFAULT, freezeBatchNorm);
    }

    static float[] rawPixels(LabeledImages data, int count) {
        float[] inputs = new float[count * H * W];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = data.pixels()[i] & 0xFF;
        }
        return inputs;
    }

    @Test
    void cnnBatchNormTrainsGammaBetaAndMovesItsStatisticsWhichTheExportedModelUses() throws Exception {
        LabeledImages data = images();
        Recorder recorder = new Recorder();
        Weights before;
        Weights afterOne;
        Weights after;
        try (TrainingRun run = TrainingRun.start(cnnConfig(tmp, false), data)) {
            before = run.weights();
            run.runUntil(1, recorder);
            afterOne = run.weights();
            run.run(recorder);
            after = run.weights();
        }
        assertThat(recorder.losses).hasSize(3).allMatch(Float::isFinite);
        for (String stat : List.of("bn1_moving_mean", "bn1_moving_variance", "bn2_moving_mean", "bn2_moving_variance")) {
            assertThat(afterOne.get(stat)).as(stat + " after one step").isNotEqualTo(before.get(stat));
            assertThat(after.get(stat)).as(stat + " after three").isNotEqualTo(afterOne.get(stat));
        }
        // one step from mean 0 / variance 1: 0.9 * old + 0.1 * batch; the batch's variance is positive
        for (float v : afterOne.get("bn1_moving_variance")) {
            assertThat(v).isGreaterThan(BatchNorm.MOMENTUM);
        }
        assertThat(after.get("conv1_kernel")).isNotEqualTo(before.get("conv1_kernel"));
        assertThat(after.get("bn1_gamma")).isNotEqualTo(before.get("bn1_gamma"));
        assertThat(after.get("bn2_beta")).isNotEqualTo(before.get("bn2_beta"));
        TrainingState state = TrainingState.read(recorder.checkpoints.getLast().state());
        assertThat(state.values())
                .containsKeys("conv1_kernel_square_avg", "bn1_gamma_square_avg", "bn1_moving_mean", ParameterUpdates.STEP)
                .doesNotContainKey("bn1_moving_mean_square_avg");
        assertThat(state.values().get("bn2_moving_variance")).containsExactly(after.get("bn2_moving_variance"));

        float[] inputs = rawPixels(data, CLASSES);
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(recorder.checkpoints.getLast().model())) {
            assertThat(embedder.embed(inputs, CLASSES))
                    .containsExactly(CnnReference.embed(after, inputs, CLASSES), within(2e-5f));
        }
    }

    @Test
    void frozenBatchNormChangesNeitherStatisticsNorGammaAndBeta() throws Exception {
        LabeledImages data = images();
        Recorder recorder = new Recorder();
        Weights before;
        Weights after;
        try (TrainingRun run = TrainingRun.start(cnnConfig(tmp, true), data)) {
            before = run.weights();
            run.run(recorder);
            after = run.weights();
        }
        assertThat(recorder.losses).hasSize(3).allMatch(Float::isFinite);
        for (String name : before.names()) {
            if (name.startsWith("bn")) {
                assertThat(after.get(name)).as(name).containsExactly(before.get(name));
            }
        }
        assertThat(after.get("conv1_kernel")).isNotEqualTo(before.get("conv1_kernel"));
        assertThat(after.get("embedder_kernel")).isNotEqualTo(before.get("embedder_kernel"));
        assertThat(TrainingState.read(recorder.checkpoints.getLast().state()).values())
                .containsKey("conv1_kernel_square_avg")
                .doesNotContainKeys("bn1_gamma_square_avg", "bn2_beta_square_avg");
    }

    @Test
    void theEmbedderTrainsWithItsOwnOptimizerAndACheckpointCanBeTakenOffSchedule() throws Exception {
        LabeledImages data = images();
        MlpArchitecture mlp = new MlpArchitecture(InputSpec.image(H, W, 1, Preprocessing.pixels()), List.of(16), 4);
        TrainingConfig config = new TrainingConfig(mlp, LossCatalog.create("contrastive", Map.of(), CLASSES, 4), null,
                new Sgd(0.05f, 0f, 0f), new Sgd(1e-9f, 0f, 0f), new Sgd(0.05f, 0f, 0f), 12, 2, Augmentation.none(), 20,
                20, 1, tmp.resolve("e"), SessionThreads.DEFAULT);
        Weights before;
        Weights after;
        try (TrainingRun run = TrainingRun.start(config, data)) {
            before = run.weights();
            run.runUntil(3, TrainingListener.none());
            after = run.weights();
            assertThat(TrainingRun.latestCheckpoint(tmp.resolve("e"))).isEmpty(); // not on the schedule (every 20)
            Checkpoint c = run.checkpoint();
            assertThat(c.iteration()).isEqualTo(3);
            assertThat(TrainingRun.latestCheckpoint(tmp.resolve("e"))).get().extracting(Checkpoint::iteration)
                    .isEqualTo(3L);
        }
        assertThat(maxChange(before.get("dense0_kernel"), after.get("dense0_kernel"))).isGreaterThan(1e-4);
        assertThat(maxChange(before.get("embedder_kernel"), after.get("embedder_kernel"))).isLessThan(1e-6);
    }

    @Test
    void eachGroupTrainsAtItsOwnRateAndARateOfZeroLeavesItsVariablesExactly() throws Exception {
        LabeledImages data = images();
        MlpArchitecture mlp = new MlpArchitecture(InputSpec.image(H, W, 1, Preprocessing.pixels()), List.of(16), 4);
        RmsProp paper = new RmsProp(0.01f, 0.99f, 1e-8f, 1e-4f, 0.9f);
        RmsProp still = new RmsProp(0f, 0.99f, 1e-8f, 1e-4f, 0.9f);
        for (boolean trunkStill : new boolean[] {true, false}) {
            TrainingConfig config = new TrainingConfig(mlp, LossCatalog.create("proxy_anchor", Map.of(), CLASSES, 4),
                    null, trunkStill ? still : paper, trunkStill ? paper : still, paper, 12, 2, Augmentation.none(), 4, 4,
                    1, tmp.resolve("z" + trunkStill), SessionThreads.DEFAULT).withUpdates(new UpdateSettings(2, 1f));
            Trained trained = Trained.of(config, data, 4);
            TrainingState state = trained.state();
            float[] trunkBefore = trained.before().get("dense0_kernel");
            float[] trunkAfter = trained.after().get("dense0_kernel");
            float[] embedderBefore = trained.before().get("embedder_kernel");
            float[] embedderAfter = trained.after().get("embedder_kernel");
            if (trunkStill) {
                assertThat(trunkAfter).containsExactly(trunkBefore);
                assertThat(maxChange(embedderBefore, embedderAfter)).isGreaterThan(1e-4);
            } else {
                assertThat(embedderAfter).containsExactly(embedderBefore);
                assertThat(maxChange(trunkBefore, trunkAfter)).isGreaterThan(1e-4);
            }
            // the loss's proxies train with their own optimizer either way
            String proxies = config.loss().parameters().getFirst().name();
            assertThat(state.values().get(proxies + "_momentum_buffer")).isNotEqualTo(new float[config.loss()
                    .parameters().getFirst().size()]);
        }
    }

    /** The weights before and after {@code iterations} of a fresh run, and its state then. */
    record Trained(Weights before, Weights after, TrainingState state) {
        static Trained of(TrainingConfig config, LabeledImages data, int iterations) throws Exception {
            try (TrainingRun run = TrainingRun.start(config, data)) {
                Weights start = run.weights();
                run.runUntil(iterations, TrainingListener.none());
                return new Trained(start, run.weights(), run.state());
            }
        }
    }

    private static double maxChange(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void stateFileRejectsOtherSeedsAndCorruption() throws Exception {
        LabeledImages data = images();
        Path state;
        try (TrainingRun run = TrainingRun.start(config("contrastive", tmp.resolve("s"), 1, 2), data)) {
            run.runUntil(2, TrainingListener.none());
            state = TrainingRun.latestCheckpoint(tmp.resolve("s")).orElseThrow().state();
        }
        assertThatThrownBy(() -> TrainingRun.resume(config("contrastive", tmp.resolve("s"), 2, 2), data, state))
                .hasMessageContaining("seed 1");
        byte[] bytes = Files.readAllBytes(state);
        bytes[40] ^= 1;
        Path bad = tmp.resolve("bad.bin");
        Files.write(bad, bytes);
        assertThatThrownBy(() -> TrainingState.read(bad)).hasMessageContaining("checksum");
    }
}
