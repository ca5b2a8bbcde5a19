package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.model.ResNetArchitecture;
import dev.realitycheck.model.ResNetVariant;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training throughput of a pretrained-size trunk: ResNet-50 (torchvision layout) at 227x227,
 * batch 32 (m = 4), frozen BatchNorm (the paper's setting), contrastive loss, RMSprop: images/s of
 * forward + backward + update, after warm-up steps. Prints one line
 * {@code trunk-benchmark resnet50 227x227 batch 32: <images/s> images/s (<s> s/step, load <l>)}.
 *
 * <p>Not part of the suite (tag {@code benchmark}); run with {@code bin/bench-trunk}, which also
 * runs PyTorch + torchvision on the same setting when they are installed. System properties:
 * {@code realitycheck.bench.trunk} ({@code resnet50}), {@code realitycheck.bench.side} (227),
 * {@code realitycheck.bench.steps} (3), {@code realitycheck.bench.warmup} (1).
 */
@Tag("benchmark")
class TrunkBenchmarkTest {

    static final int BATCH = 32;
    static final int M = 4;

    @TempDir
    Path tmp;

    @Test
    void resNetTrainingImagesPerSecond() throws Exception {
        // one iteration more than measured: the run ends (and checkpoints) outside the timing
        ResNetVariant variant = ResNetVariant.byId(System.getProperty("realitycheck.bench.trunk", "resnet50"));
        int side = Integer.getInteger("realitycheck.bench.side", 227);
        int steps = Integer.getInteger("realitycheck.bench.steps", 3);
        int warmup = Integer.getInteger("realitycheck.bench.warmup", 1);
        int classes = 16;
        SplittableRandom random = new SplittableRandom(1);
        int n = classes * M * 2;
        byte[] pixels = new byte[n * side * side];
        random.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        LabeledImages data = new LabeledImages(side, side, pixels, labels);
        ResNetArchitecture resnet = ResNetArchitecture.of(variant, side, side, 128);
        TrainingConfig config = new TrainingConfig(resnet, LossCatalog.create("contrastive", Map.of(), classes, 128),
                null, RmsProp.of(1e-6f), RmsProp.of(1e-6f), RmsProp.of(1e-6f), BATCH, M, Augmentation.none(),
                warmup + steps + 1, warmup + steps + 1, 1, tmp, SessionThreads.DEFAULT, true);
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (TrainingRun run = TrainingRun.start(config, data)) {
            TrainingRunTest.Recorder ignored = new TrainingRunTest.Recorder();
            run.runUntil(warmup, ignored);
            long started = System.nanoTime();
            run.runUntil(warmup + steps, ignored);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(ignored.losses).hasSize(warmup + steps).allMatch(Float::isFinite);
            System.out.printf(Locale.ROOT, "trunk-benchmark %s %dx%d batch %d: %.2f images/s (%.2f s/step, load %.1f)%n",
                    variant.id(), side, side, BATCH, steps * BATCH / seconds, seconds / steps, load);
        }
    }
}
