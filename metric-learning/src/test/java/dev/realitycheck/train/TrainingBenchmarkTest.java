package dev.realitycheck.train;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.loss.miner.TripletMarginMiner;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.MlpArchitecture;
import dev.realitycheck.model.Preprocessing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training throughput: images/s at batch 256 for the MLP 784-256-128 on random 28x28 images, per
 * loss. Not part of the suite (tag {@code benchmark}); run with
 * {@code -Drealitycheck.excluded-groups=none -Dtest=TrainingBenchmarkTest}.
 */
@Tag("benchmark")
class TrainingBenchmarkTest {

    static final int WARMUP = 5;
    static final int MEASURED = 30;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"contrastive,0,0", "contrastive,1,1", "contrastive,2,1",
            "triplet_margin+semihard,0,0", "triplet_margin+semihard,1,1", "triplet_margin+semihard,2,1",
            "triplet_margin,0,0", "triplet_margin,1,1", "triplet_margin,2,1",
            "multi_similarity,0,0", "multi_similarity,1,1", "multi_similarity,2,1",
            // a baseline bounded by the network alone (one [B, C] product in the loss)
            "normalized_softmax,2,1"})
    void imagesPerSecond(String lossName, int intraOp, int interOp) throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        int classes = 100;
        int n = classes * 20;
        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        LabeledImages data = new LabeledImages(28, 28, pixels, labels);
        boolean mined = lossName.endsWith("+semihard");
        String name = mined ? lossName.substring(0, lossName.indexOf('+')) : lossName;
        MlpArchitecture mlp = new MlpArchitecture(InputSpec.image(28, 28, 1, Preprocessing.pixels()), List.of(256), 128);
        int iterations = WARMUP + MEASURED;
        TrainingConfig config = new TrainingConfig(mlp, LossCatalog.create(name, Map.of(), classes, 128),
                mined ? new TripletMarginMiner(TripletMarginMiner.Type.SEMIHARD) : null, Adam.of(1e-4f),
                Adam.of(1e-4f), 256, 4, Augmentation.none(), iterations, iterations + 1, 1, tmp,
                new SessionThreads(intraOp, interOp));
        long[] started = new long[1];
        try (TrainingRun run = TrainingRun.start(config, data)) {
            run.runUntil(iterations, progress -> {
                if (progress.iteration() == WARMUP) {
                    started[0] = System.nanoTime();
                }
            });
        }
        double seconds = (System.nanoTime() - started[0]) / 1e9;
        System.out.printf("BENCHMARK %-26s batch 256 MLP 784-256-128: %8.0f images/s (%d iterations, %d cores, "
                        + "intra-op %d, inter-op %d threads, 0 = TensorFlow default)%n",
                lossName, 256 * MEASURED / seconds, MEASURED, Runtime.getRuntime().availableProcessors(), intraOp,
                interOp);
    }
}
