package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.split.FoldImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.loss.distance.LpDistance;
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
import org.junit.jupiter.api.Assumptions;
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
 *
 * <p>{@link #harnessProtocolAgainstPyTorch} ({@code bin/bench-training harness}) measures issue 17's
 * protocol instead, next to PyTorch + pytorch-metric-learning running the same protocol.
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

    /**
     * @param setting {@code intra/inter}, or {@code n} for {@code n/1}
     * @return the session threads it names
     */
    static SessionThreads sessionThreads(String setting) {
        String[] parts = setting.split("/");
        return new SessionThreads(Integer.parseInt(parts[0]), parts.length == 1 ? 1 : Integer.parseInt(parts[1]));
    }

    /** @return the threads PyTorch gets next to {@code threads}: as many as the larger of the project's two pools */
    static int peerThreads(SessionThreads threads) {
        return Math.max(threads.intraOp(), threads.interOp());
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
                    cases.add(new Case(network, loss, sessionThreads(t)));
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

    /**
     * The settings a measurement trains with besides its {@link Case}.
     *
     * @param m             images per class per batch of {@link #BATCH}
     * @param classes       classes in the data
     * @param learningRate  Adam's
     * @param hyperparameters per loss name, what differs from the loss's defaults
     * @param minerMargin   the semihard miner's margin
     * @param warmup        steps before the clock starts
     * @param measured      timed steps
     * @param trace         whether to trace one extra step for the op profile
     */
    record Protocol(int m, int classes, float learningRate, Map<String, Map<String, Double>> hyperparameters,
                    double minerMargin, int warmup, int measured, boolean trace) {
        Protocol measuring(int steps) {
            return new Protocol(m, classes, learningRate, hyperparameters, minerMargin, warmup, steps, trace);
        }
    }

    /**
     * The harness protocol against PyTorch + pytorch-metric-learning: Fashion-MNIST's training
     * images of classes 0-4, MLP 784-256-128, batch 256 with m = 64, Adam 1e-3, triplet margins 0.1
     * (the semihard miner's too), contrastive and multi-similarity at PML's defaults, TensorFlow intra-op/inter-op threads
     * 1/1, 2/1 and 1/2 ({@code .harness.threads}; PyTorch gets the larger of the two,
     * {@code torch.set_num_threads}); {@code bin/bench-training} sets
     * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=true} so that each session gets the intra-op threads it
     * asks for, not the first session's (see {@link SessionThreads#config()}). When
     * {@code realitycheck.bench.python} names an interpreter that imports torch and the environment
     * variable {@value #PML_SOURCE} points at pytorch-metric-learning's {@code src} directory, the
     * same protocol runs in {@code src/test/python/pml_training_benchmark.py} (one long-lived
     * worker), each repetition of a case right after the project's, so load bursts hit both sides
     * alike. Prints, per case, the medians of images/s and of images per process CPU-second on both
     * sides and their ratios (project / PyTorch), with the load average; also written to
     * {@code training/target/training-harness.md}. Properties: {@code realitycheck.bench.harness.losses},
     * {@code .harness.threads} ({@code 1/1,2/1,1/2}; {@code n} means {@code n/1}), {@code .repetitions} (3), {@code .harness.warmup} (3),
     * {@code .harness.iterations} (100; 20 for all triplets), {@code .harness.warm-repetitions} (1: unrecorded rounds first, so neither side's
     * first-use costs, JIT or lazy initialisation, land in a median), {@code .harness.trace} (false: true prints the project's top
     * op types of one traced extra step, {@code .top-ops} of them, 4 by default).
     */
    @Test
    void harnessProtocolAgainstPyTorch() throws Exception {
        Assumptions.assumeTrue(FashionMnist.findDebianInstall().isPresent(),
                "Fashion-MNIST is not installed (apt-get install " + FashionMnist.DEBIAN_PACKAGE + ")");
        List<String> losses = list("realitycheck.bench.harness.losses",
                "contrastive,triplet_margin,multi_similarity,triplet_margin+semihard");
        List<SessionThreads> threads = list("realitycheck.bench.harness.threads", "1/1,2/1,1/2").stream()
                .map(TrainingBenchmarkTest::sessionThreads).toList();
        int repetitions = Integer.getInteger("realitycheck.bench.repetitions", 3);
        Protocol protocol = new Protocol(64, 5, 1e-3f, Map.of("triplet_margin", Map.of("margin", 0.1)), 0.1,
                Integer.getInteger("realitycheck.bench.harness.warmup", 3),
                0, Boolean.getBoolean("realitycheck.bench.harness.trace"));
        LabeledImages data = FoldImages.renumbered(FashionMnist.loadDebianInstall(MnistSplit.TRAIN),
                new int[] {0, 1, 2, 3, 4});
        Map<Case, List<Measurement>> ours = new LinkedHashMap<>();
        Map<Case, List<Measurement>> theirs = new LinkedHashMap<>();
        int unrecorded = Integer.getInteger("realitycheck.bench.harness.warm-repetitions", 1);
        try (PytorchWorker worker = PytorchWorker.start(FashionMnist.DEBIAN_DIRECTORY).orElse(null)) {
            for (int r = -unrecorded; r < repetitions; r++) {
                for (String loss : losses) {
                    for (SessionThreads t : threads) {
                        Case c = new Case("mlp", loss, t);
                        // PyTorch takes ~0.5 s per all-triplets step; the other losses need more steps to time
                        Protocol p = protocol.measuring(Integer.getInteger("realitycheck.bench.harness.iterations",
                                loss.equals("triplet_margin") ? 20 : 100));
                        int seed = Math.max(r, 0);
                        Measurement m = measure(c, data, seed, p);
                        assertThat(m.lastLoss()).as("%s", c).isFinite();
                        if (r >= 0) {
                            ours.computeIfAbsent(c, k -> new ArrayList<>()).add(m);
                        }
                        StepTimings st = m.timings();
                        String line = String.format(Locale.ROOT, "HARNESS %s %-24s threads %s/%d: project %6.0f images/s, "
                                + "%6.0f per CPU-s (prepare %.0f%%, train %.0f%%)", r < 0 ? "warm-up" : "rep " + (r + 1), loss,
                                c.threadsLabel(), peerThreads(t),
                                m.imagesPerSecond(), m.imagesPerCpuSecond(), 100.0 * st.prepareNanos() / st.totalNanos(),
                                100.0 * st.trainNanos() / st.totalNanos());
                        if (worker != null) {
                            Measurement py = worker.measure(loss, peerThreads(t), p, seed);
                            assertThat(py.lastLoss()).as("PyTorch %s", c).isFinite();
                            if (r >= 0) {
                                theirs.computeIfAbsent(c, k -> new ArrayList<>()).add(py);
                            }
                            line += String.format(Locale.ROOT, "; PyTorch %6.0f images/s, %6.0f per CPU-s",
                                    py.imagesPerSecond(), py.imagesPerCpuSecond());
                        }
                        System.out.println(line + String.format(Locale.ROOT, " (load %.2f)%s", m.loadAfter(),
                                m.topOps().isEmpty() ? "" : "; project ops: " + m.topOps()));
                    }
                }
            }
            String table = harnessTable(ours, theirs, repetitions, protocol,
                    worker == null ? PytorchWorker.missing() : worker.version());
            System.out.println(table);
            Path out = Path.of("target", "training-harness.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table);
        }
    }

    private static String harnessTable(Map<Case, List<Measurement>> ours, Map<Case, List<Measurement>> theirs,
                                       int repetitions, Protocol protocol, String peer) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "Harness protocol: Fashion-MNIST classes 0-4, "
                + "MLP 784-256-128, batch %d (m = %d), Adam %s, 100 timed steps (all triplets: 20) after %d, median of %d "
                + "interleaved repetitions; ratio = project / PyTorch (above 1: the project is faster). Peer: %s%n%n",
                BATCH, protocol.m(), protocol.learningRate(), protocol.warmup(), repetitions, peer));
        s.append("| loss | threads (project intra/inter-op, PyTorch) | project images/s | project images per CPU-s | PyTorch images/s "
                + "| PyTorch images per CPU-s | ratio (wall) | ratio (CPU) | load 1 min |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<Case, List<Measurement>> e : ours.entrySet()) {
            Case c = e.getKey();
            List<Measurement> ms = e.getValue();
            double wall = median(ms, Measurement::imagesPerSecond);
            double cpu = median(ms, Measurement::imagesPerCpuSecond);
            List<Measurement> ps = theirs.get(c);
            double load = median(ms, Measurement::loadAfter);
            if (ps == null) {
                s.append(String.format(Locale.ROOT, "| %s | %s, %d | %.0f | %.0f | - | - | - | - | %.1f |%n", c.loss(),
                        c.threadsLabel(), peerThreads(c.threads()), wall, cpu, load));
            } else {
                double pWall = median(ps, Measurement::imagesPerSecond);
                double pCpu = median(ps, Measurement::imagesPerCpuSecond);
                s.append(String.format(Locale.ROOT, "| %s | %s, %d | %.0f | %.0f | %.0f | %.0f | %.2fx | %.2fx | %.1f |%n",
                        c.loss(), c.threadsLabel(), peerThreads(c.threads()), wall, cpu, pWall, pCpu, wall / pWall, cpu / pCpu, load));
            }
        }
        return s.toString();
    }

    private static double median(List<Measurement> ms, java.util.function.ToDoubleFunction<Measurement> value) {
        double[] v = ms.stream().mapToDouble(value).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Where pytorch-metric-learning's source is (its {@code src} directory): an environment variable. */
    static final String PML_SOURCE = "REALITYCHECK_PML_SRC";

    /**
     * The Python side of {@link #harnessProtocolAgainstPyTorch}: one process running
     * {@code src/test/python/pml_training_benchmark.py}, asked one case per line.
     */
    static final class PytorchWorker implements AutoCloseable {
        private static final java.time.Duration REPLY = java.time.Duration.ofMinutes(5);
        private final Process process;
        private final java.io.BufferedReader out;
        private final java.io.Writer in;
        private final String version;

        private PytorchWorker(Process process) throws Exception {
            this.process = process;
            this.out = process.inputReader();
            this.in = process.outputWriter();
            this.version = reply("READY");
        }

        /** @return a worker, or empty (saying why on stdout) without an interpreter or PML's source */
        static java.util.Optional<PytorchWorker> start(Path fashionMnist) throws Exception {
            String python = System.getProperty("realitycheck.bench.python", "");
            String pml = System.getenv(PML_SOURCE);
            if (python.isEmpty() || pml == null || !Files.isDirectory(Path.of(pml, "pytorch_metric_learning"))) {
                System.out.println("HARNESS PyTorch side skipped: " + missing());
                return java.util.Optional.empty();
            }
            ProcessBuilder builder = new ProcessBuilder(python, "src/test/python/pml_training_benchmark.py",
                    fashionMnist.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("PYTHONPATH", pml);
            // OpenMP threads sleep instead of spinning while they wait: on a loaded machine spinning
            // made PyTorch's 2-thread steps 15x slower than its 1-thread steps
            builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            return java.util.Optional.of(new PytorchWorker(builder.start()));
        }

        static String missing() {
            return "PyTorch + pytorch-metric-learning not run (bin/bench-training passes -Drealitycheck.bench.python= "
                    + "an interpreter that imports torch, e.g. Debian's python3-torch python3-scipy python3-tqdm; "
                    + "and " + PML_SOURCE + " must name pytorch-metric-learning's src directory, e.g. after "
                    + "git clone https://github.com/KevinMusgrave/pytorch-metric-learning && git -C "
                    + "pytorch-metric-learning checkout v2.8.1)";
        }

        String version() {
            return version;
        }

        Measurement measure(String loss, int threads, Protocol protocol, int repetition) throws Exception {
            double load = loadAverage();
            in.write(String.format(Locale.ROOT, "%s %d %d %d %d%n", loss, threads, protocol.warmup(),
                    protocol.measured(), 1 + repetition));
            in.flush();
            String[] v = reply("RESULT").split(" ");
            double images = (double) BATCH * protocol.measured();
            return new Measurement(images / Double.parseDouble(v[0]), images / Double.parseDouble(v[1]),
                    StepTimings.NONE, load, loadAverage(), Float.parseFloat(v[2]), "");
        }

        private String reply(String tag) throws Exception {
            var line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(REPLY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            if (line == null || !line.startsWith(tag + " ")) {
                throw new IllegalStateException("the PyTorch worker answered " + line + ", expected " + tag);
            }
            return line.substring(tag.length() + 1);
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private Measurement measure(Case c, LabeledImages data, int repetition) throws IOException {
        int warmup = Integer.getInteger("realitycheck.bench.warmup", 3);
        int measured = Integer.getInteger("realitycheck.bench.iterations." + c.network(),
                c.network().equals("cnn") ? 8 : 30);
        return measure(c, data, repetition, new Protocol(M, CLASSES, 1e-4f, Map.of(), 0.2, warmup, measured, true));
    }

    private Measurement measure(Case c, LabeledImages data, int repetition, Protocol protocol) throws IOException {
        int warmup = protocol.warmup();
        int measured = protocol.measured();
        boolean mined = c.loss().endsWith("+semihard");
        String name = mined ? c.loss().substring(0, c.loss().indexOf('+')) : c.loss();
        Architecture network = switch (c.network()) {
            case "mlp" -> new MlpArchitecture(InputSpec.image(28, 28, 1, Preprocessing.pixels()), List.of(256), 128);
            case "cnn" -> EmbeddingNetworks.cnn(28, 28, 128);
            default -> throw new IllegalArgumentException("network must be mlp or cnn, was " + c.network());
        };
        int iterations = warmup + measured;
        TrainingConfig config = new TrainingConfig(network,
                LossCatalog.create(name, protocol.hyperparameters().getOrDefault(name, Map.of()), protocol.classes(), 128),
                mined ? new TripletMarginMiner(protocol.minerMargin(), TripletMarginMiner.Type.SEMIHARD, new LpDistance())
                        : null, Adam.of(protocol.learningRate()), Adam.of(protocol.learningRate()), BATCH, protocol.m(),
                Augmentation.none(), iterations + 1, iterations + 2, 1 + repetition,
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
            if (!protocol.trace()) {
                return new Measurement(BATCH * measured / seconds, BATCH * measured / cpuSeconds, timings, loadBefore,
                        loadAfter, lastLoss[0], "");
            }
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
        return micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(Integer.getInteger("realitycheck.bench.top-ops", 4))
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
