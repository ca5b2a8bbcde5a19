package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.loss.miner.TripletMarginMiner;
import dev.realitycheck.model.Architecture;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.MlpArchitecture;
import dev.realitycheck.model.Preprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Training throughput: images/s at batch 256 (m = 4) on random 28x28 images of 100 classes, for
 * the MLP 784-256-128 and the small CNN (16/32 channels, BatchNorm training, embedding 128), with
 * contrastive, triplet margin with the semihard miner, triplet margin over all triplets and
 * multi-similarity (all with pytorch-metric-learning's defaults, Adam), per TensorFlow thread
 * setting (intra-op/inter-op). Each case runs {@code repetitions} times, the repetitions
 * interleaved (round-robin over the cases) so a burst of load on the shared machine does not hit
 * one case's every repetition; the median is reported, with the 1-minute load average before
 * and after, the images per CPU-second of the whole process (what a shared machine distorts
 * least), and where the step time went ({@link StepTimings}: Java batch preparation, the mining
 * forward pass, the Java miner, the training session call) and, from one extra traced step
 * (TensorFlow's per-op timings), which op types the training call spends its time in.
 *
 * <p>Not part of the suite (tag {@code benchmark}); run with {@code bin/bench-training}. System
 * properties: {@code realitycheck.bench.networks} ({@code mlp,cnn}), {@code .losses}
 * ({@code contrastive,triplet_margin+semihard,triplet_margin,multi_similarity}), {@code .threads}
 * ({@code 1/1,2/1,1/2,2/2}), {@code .repetitions} (3), {@code .iterations.mlp} (30),
 * {@code .iterations.cnn} (8), {@code .warmup} (3). The table also goes to
 * {@code training/target/training-benchmark.md}.
 */
@Tag("benchmark")
class TrainingBenchmarkTest {

    static final int BATCH = 256;
    static final int M = 4;
    static final int CLASSES = 100;

    @TempDir
    Path tmp;

    /** One measured configuration. */
    record Case(String network, String loss, SessionThreads threads) {
        String threadsLabel() {
            return threads.intraOp() + "/" + threads.interOp();
        }
    }

    /** One repetition of a case. */
    record Measurement(double imagesPerSecond, double imagesPerCpuSecond, StepTimings timings, double loadBefore,
                       double loadAfter, float lastLoss, String topOps) {
    }

    @Test
    void imagesPerSecondAtBatch256() throws Exception {
        List<String> networks = list("realitycheck.bench.networks", "mlp,cnn");
        List<String> losses = list("realitycheck.bench.losses",
                "contrastive,triplet_margin+semihard,triplet_margin,multi_similarity");
        List<String> threads = list("realitycheck.bench.threads", "1/1,2/1,1/2,2/2");
        int repetitions = Integer.getInteger("realitycheck.bench.repetitions", 3);
        LabeledImages data = randomImages();
        List<Case> cases = new ArrayList<>();
        for (String network : networks) {
            for (String loss : losses) {
                for (String t : threads) {
                    String[] parts = t.split("/");
                    cases.add(new Case(network, loss,
                            new SessionThreads(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]))));
                }
            }
        }
        Map<Case, List<Measurement>> results = new LinkedHashMap<>();
        for (int r = 0; r < repetitions; r++) {
            for (Case c : cases) {
                Measurement m = measure(c, data, r);
                assertThat(m.imagesPerSecond()).as("%s", c).isPositive().isFinite();
                assertThat(m.lastLoss()).as("%s", c).isFinite();
                results.computeIfAbsent(c, k -> new ArrayList<>()).add(m);
                System.out.printf(Locale.ROOT, "BENCHMARK rep %d %-4s %-24s threads %s: %8.0f images/s, %8.0f per CPU-s "
                                + "(load %.2f -> %.2f)%n",
                        r + 1, c.network(), c.loss(), c.threadsLabel(), m.imagesPerSecond(), m.imagesPerCpuSecond(),
                        m.loadBefore(),
                        m.loadAfter());
            }
        }
        String table = table(results, repetitions);
        System.out.println(table);
        Path out = Path.of("target", "training-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

    private Measurement measure(Case c, LabeledImages data, int repetition) throws IOException {
        int warmup = Integer.getInteger("realitycheck.bench.warmup", 3);
        int measured = Integer.getInteger("realitycheck.bench.iterations." + c.network(),
                c.network().equals("cnn") ? 8 : 30);
        boolean mined = c.loss().endsWith("+semihard");
        String name = mined ? c.loss().substring(0, c.loss().indexOf('+')) : c.loss();
        Architecture network = switch (c.network()) {
            case "mlp" -> new MlpArchitecture(InputSpec.image(28, 28, 1, Preprocessing.pixels()), List.of(256), 128);
            case "cnn" -> EmbeddingNetworks.cnn(28, 28, 128);
            default -> throw new IllegalArgumentException("network must be mlp or cnn, was " + c.network());
        };
        int iterations = warmup + measured;
        TrainingConfig config = new TrainingConfig(network, LossCatalog.create(name, Map.of(), CLASSES, 128),
                mined ? new TripletMarginMiner(TripletMarginMiner.Type.SEMIHARD) : null, Adam.of(1e-4f),
                Adam.of(1e-4f), BATCH, M, Augmentation.none(), iterations + 1, iterations + 2, 1 + repetition,
                tmp.resolve(c.network() + "-" + name + "-" + c.threadsLabel().replace('/', '-') + "-" + repetition),
                c.threads());
        float[] lastLoss = new float[1];
        try (TrainingRun run = TrainingRun.start(config, data)) {
            run.runUntil(warmup, TrainingListener.none());
            StepTimings before = run.timings();
            double loadBefore = loadAverage();
            long cpuStarted = processCpuNanos();
            long started = System.nanoTime();
            run.runUntil(iterations, new TrainingListener() {
                @Override
                public void onProgress(TrainingProgress progress) {
                    lastLoss[0] = progress.loss();
                }

                @Override
                public void onCheckpoint(Checkpoint checkpoint) {
                }
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
            StepTimings timings = run.timings().minus(before);
            double loadAfter = loadAverage();
            run.traceNextStep();
            run.runUntil(iterations + 1, TrainingListener.none());
            return new Measurement(BATCH * measured / seconds, BATCH * measured / cpuSeconds, timings, loadBefore, loadAfter, lastLoss[0],
                    topOps(run.lastTrace().orElseThrow()));
        }
    }

    private static String table(Map<Case, List<Measurement>> results, int repetitions) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Training images/s at batch %d (m = %d), median of %d; %d cores visible "
                + "to the JVM; threads = TensorFlow intra-op/inter-op; step time split: prepare (Java batch), "
                + "embed (mining forward), mine (Java miner), train (training session call)%n%n",
                BATCH, M, repetitions, Runtime.getRuntime().availableProcessors()));
        s.append("| network | loss | threads | images/s (median) | min-max | images per CPU-s | prepare | embed | mine | train | load 1 min "
                + "| top TensorFlow ops (share of op time in the training call) |\n");
        s.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        Map<String, Case> best = new LinkedHashMap<>();
        Map<Case, Double> medians = new LinkedHashMap<>();
        for (Map.Entry<Case, List<Measurement>> e : results.entrySet()) {
            Case c = e.getKey();
            List<Measurement> ms = e.getValue().stream()
                    .sorted(Comparator.comparingDouble(Measurement::imagesPerSecond)).toList();
            Measurement median = ms.get(ms.size() / 2);
            medians.put(c, median.imagesPerSecond());
            StepTimings t = median.timings();
            double total = t.totalNanos();
            double loadMin = ms.stream().mapToDouble(m -> Math.min(m.loadBefore(), m.loadAfter())).min().orElseThrow();
            double loadMax = ms.stream().mapToDouble(m -> Math.max(m.loadBefore(), m.loadAfter())).max().orElseThrow();
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f-%.0f | %.0f | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.1f-%.1f | %s |%n",
                    c.network(), c.loss(), c.threadsLabel(), median.imagesPerSecond(), ms.getFirst().imagesPerSecond(),
                    ms.getLast().imagesPerSecond(), median.imagesPerCpuSecond(), 100 * t.prepareNanos() / total, 100 * t.embedNanos() / total,
                    100 * t.mineNanos() / total, 100 * t.trainNanos() / total, loadMin, loadMax, median.topOps()));
            best.merge(c.network() + " " + c.loss(), c,
                    (a, b) -> medians.get(a) >= medians.get(b) ? a : b);
        }
        s.append("\nBest thread setting per case:\n\n");
        for (Case c : best.values()) {
            s.append(String.format(Locale.ROOT, "- %s %s: %s, %.0f images/s%n", c.network(), c.loss(),
                    c.threadsLabel(), medians.get(c)));
        }
        return s.toString();
    }

    /**
     * The op types that took most of a traced training call's op time (summed over ops, so work
     * done in parallel counts fully), e.g. {@code MatMul 61%, Mul 7%, ...}.
     */
    static String topOps(RunMetadata trace) {
        Map<String, Long> micros = new LinkedHashMap<>();
        long total = 0;
        for (DeviceStepStats device : trace.getStepStats().getDevStatsList()) {
            for (NodeExecStats node : device.getNodeStatsList()) {
                String label = node.getTimelineLabel();
                int eq = label.indexOf(" = ");
                int paren = label.indexOf('(', eq + 3);
                String type = eq >= 0 && paren > eq ? label.substring(eq + 3, paren) : node.getNodeName();
                micros.merge(type, node.getAllEndRelMicros(), Long::sum);
                total += node.getAllEndRelMicros();
            }
        }
        long sum = Math.max(1, total);
        return micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
                .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / sum))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static LabeledImages randomImages() {
        SplittableRandom random = new SplittableRandom(1);
        int n = CLASSES * 20;
        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        return new LabeledImages(28, 28, pixels, labels);
    }

    private static List<String> list(String property, String defaults) {
        return Arrays.stream(System.getProperty(property, defaults).split(",")).map(String::trim)
                .filter(v -> !v.isEmpty()).toList();
    }

    /**
     * CPU time of this whole process (JVM and TensorFlow threads), which a machine shared with
     * other jobs inflates much less than wall time.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The 1-minute load average, from {@code /proc/loadavg} (NaN where there is none). */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
