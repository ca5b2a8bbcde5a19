package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.evaluation.consume.EvaluationLoop;
import dev.realitycheck.evaluation.scoring.Baselines;
import dev.realitycheck.evaluation.scoring.EngineWarmUp;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.evaluation.scoring.SavedModelScorer;
import dev.realitycheck.evaluation.scoring.SplitSchedule;
import dev.realitycheck.evaluation.progress.ScoringProgress;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationTimings;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark (prints numbers, asserts only that it ran; run with {@code bin/bench-pipeline}): the
 * time from a checkpoint's last record on Kafka to its test result being published, for the small
 * CNN on Fashion-MNIST's held-out classes (35,000 test images), split into assemble, load, embed,
 * kNN, metrics and publish, and to its validation result (fold 0 of 2: classes 0-1, 14,000 images),
 * once per {@link SplitSchedule} after an unreported warm-up round. Baselines are off so they do not count.
 * {@link #firstCheckpointToFirstResultWithBaselines} measures what a user waits for with them on:
 * the time from the first checkpoint of a dataset to its first result, and to its fold's baselines.
 */
@Tag("benchmark")
@ExtendWith(KafkaBrokerExtension.class)
class PipelineBenchmark {

    @TempDir
    Path tmp;

    /** Fashion-MNIST (the test is skipped without it), the topics, and the small CNN packed under {@code tmp}. */
    private LabeledImages setUp(LocalKafkaBroker broker) throws Exception {
        Assumptions.assumeTrue(FashionMnist.findDebianInstall().isPresent(), "Fashion-MNIST is not installed");
        try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 1, (short) 1);
        }
        Path modelDir = tmp.resolve("cnn");
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.cnn(28, 28, 64), 1, modelDir);
        SavedModelArchive.pack(modelDir, tmp.resolve("cnn.zip"));
        return FashionMnist.loadDebianInstall(MnistSplit.ALL);
    }

    @Test
    void firstCheckpointToFirstResultWithBaselines(LocalKafkaBroker broker) throws Exception {
        LabeledImages images = setUp(broker);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int threads = Runtime.getRuntime().availableProcessors();
        HeldOutScorer heldOut = new HeldOutScorer(threads, new int[] {1, 2, 4, 8}, registry);
        Path work = Files.createDirectories(tmp.resolve("work"));
        EvaluationLoop.Settings settings = new EvaluationLoop.Settings(broker.bootstrapServers(), "bench-baselines", work,
                1L << 32, Duration.ofMinutes(5), 1, (short) 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(broker.bootstrapServers(), "bench"));
             PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(broker.bootstrapServers());
             EvaluationLoop loop = new EvaluationLoop(settings, new SavedModelScorer(m -> images, heldOut, 512, registry),
                     EvaluationLoop.BaselineSource.of(new Baselines(m -> images, heldOut, work)), registry)) {
            loop.start();
            // the first checkpoint of an experiment that runs fold 0 of K = 2, as the demo does
            CheckpointManifest manifest = CheckpointManifest.newBuilder().setCheckpointId("bench-first").setRunId("bench-first")
                    .setLossName("untrained-cnn").setFold(0).setFoldCount(2)
                    .setDataset(DatasetSpec.newBuilder().setName("fashion-mnist")).build();
            new CheckpointPublisher(producer).publish(manifest, tmp.resolve("cnn.zip"));
            long lastRecord = System.nanoTime();
            long[] firstResult = {0};
            long[] checkpointDone = {0};
            List<EvaluationResult> results = await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(50))
                    .until(reader::poll, l -> {
                        long now = System.nanoTime();
                        if (firstResult[0] == 0 && !l.isEmpty()) {
                            firstResult[0] = now;
                        }
                        if (checkpointDone[0] == 0 && l.stream().filter(r -> r.getCheckpointId().equals("bench-first")).count() == 2) {
                            checkpointDone[0] = now;
                        }
                        // both baselines of fold 0, both splits
                        return l.stream().filter(r -> r.getBaseline() && r.getRunId().endsWith(":k2:f0")).count() == 4
                                && checkpointDone[0] != 0;
                    });
            long baselinesDone = System.nanoTime();
            System.out.printf(Locale.ROOT, "%n== first checkpoint with baselines on (%d threads, Fashion-MNIST, fold 0 of 2) ==%n", threads);
            System.out.printf(Locale.ROOT, "last record -> first result read back:            %6.1f s (%s)%n",
                    (firstResult[0] - lastRecord) / 1e9, results.get(0).getEvaluationId());
            System.out.printf(Locale.ROOT, "last record -> checkpoint's both results read back: %6.1f s%n", (checkpointDone[0] - lastRecord) / 1e9);
            System.out.printf(Locale.ROOT, "last record -> fold 0's baselines read back:        %6.1f s (%d baseline records by then)%n",
                    (baselinesDone - lastRecord) / 1e9, results.stream().filter(EvaluationResult::getBaseline).count());
            assertThat(results).anyMatch(r -> r.getCheckpointId().equals("bench-first") && r.getError().isEmpty());
        }
    }

    @Test
    void lastRecordToTestResult(LocalKafkaBroker broker) throws Exception {
        LabeledImages images = setUp(broker);
        Path packed = tmp.resolve("cnn.zip");
        int threads = Runtime.getRuntime().availableProcessors();
        int rounds = Integer.getInteger("realitycheck.bench.rounds", 3);
        boolean warmUp = Boolean.parseBoolean(System.getProperty("realitycheck.bench.engine-warm-up", "true"));
        System.out.printf(Locale.ROOT, "%n== evaluation pipeline benchmark (%d threads, small CNN 28x28 -> 64, fold 0 of 2, "
                + "%d rounds, load %.2f) ==%n", threads, rounds, load());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(broker.bootstrapServers(), "bench"));
             PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(broker.bootstrapServers())) {
            if (warmUp) { // as the service does on start-up (EvaluationLifecycle), here before the loop starts
                Cpu before = Cpu.now();
                EngineWarmUp.Outcome outcome = EngineWarmUp.run(new HeldOutScorer(threads, RECALL_KS,
                        new SimpleMeterRegistry()).evaluator());
                System.out.printf(Locale.ROOT, "engine warm-up: %.2f s, process CPU %.2f s%n", outcome.nanos() / 1e9,
                        Cpu.now().minus(before).cpuSeconds());
            }
            // the first checkpoint of this JVM: what a service's first checkpoint waits for (warm-up on or off)
            Round first = lastRecordToResults(broker, producer, reader, images, packed, SplitSchedule.SEQUENTIAL,
                    "first");
            System.out.printf(Locale.ROOT, "first checkpoint of this JVM (engine warm-up %s): test kNN %.2f s, "
                    + "kNN + metrics process CPU %.2f s%n", warmUp ? "on" : "off", first.testKnn(), first.cpu());
            Map<SplitSchedule, List<Round>> bySchedule = new EnumMap<>(SplitSchedule.class);
            SplitSchedule[] all = SplitSchedule.values();
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < all.length; i++) { // alternating, each round starting one schedule later
                    SplitSchedule schedule = all[(round + i) % all.length];
                    bySchedule.computeIfAbsent(schedule, x -> new ArrayList<>()).add(lastRecordToResults(broker, producer,
                            reader, images, packed, schedule, schedule.name().toLowerCase(Locale.ROOT) + "-" + round));
                }
            }
            System.out.printf(Locale.ROOT, "%n| schedule | last record -> test result | -> validation result | test kNN | "
                    + "process CPU last record -> both results | load |%n|---|---|---|---|---|---|%n");
            bySchedule.forEach((schedule, list) -> System.out.printf(Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s |%n", schedule, range(list, Round::test), range(list, Round::validation),
                    range(list, Round::testKnn), range(list, Round::cpu), range(list, Round::load)));
        }
    }

    /** Noise of the generated clusters that mix classes about as much as the untrained CNN's test split. */
    private static final float MIXING_NOISE = 2.5f;

    /**
     * The test split's kNN as the service runs it, against the same engine on generated clusters of
     * the same shape (35,000 x 64, 5 classes of 7,000: {@link EngineWarmUp#clusters}), once well
     * separated and once mixed by noise, alternating in one JVM, the first round cold: wall time,
     * process CPU and MAP@R of each evaluation (is the cost in the data's mixing, or elsewhere?).
     */
    @Test
    void engineOnTheTestSplitAndOnGeneratedClusters(LocalKafkaBroker broker) throws Exception {
        LabeledImages images = setUp(broker);
        int threads = Runtime.getRuntime().availableProcessors();
        HeldOutScorer heldOut = new HeldOutScorer(threads, RECALL_KS, new SimpleMeterRegistry());
        CheckpointManifest manifest = CheckpointManifest.newBuilder().setCheckpointId("bench-engine").setRunId("bench-engine")
                .setFold(0).setFoldCount(2).setDataset(DatasetSpec.newBuilder().setName("fashion-mnist")).build();
        RetrievalTask cnn = new SavedModelScorer(m -> images, heldOut, 512, new SimpleMeterRegistry())
                .embedSplit(manifest, tmp.resolve("cnn.zip"), Split.SPLIT_TEST);
        int rows = cnn.queries().rows();
        Map<String, RetrievalTask> tasks = new java.util.LinkedHashMap<>();
        tasks.put("test split", cnn);
        tasks.put("clusters", EngineWarmUp.clusters(rows, rows / 5, 1f, 42));
        tasks.put("noisy clusters", EngineWarmUp.clusters(rows, rows / 5, MIXING_NOISE, 42));
        System.out.printf(Locale.ROOT, "%n== the engine on the test split (untrained CNN) and on generated clusters, %,d x %d, "
                + "%d threads, %s kernel, load %.2f ==%n", cnn.queries().rows(), cnn.queries().dim(), threads,
                dev.realitycheck.knn.DotKernel.best().description(), load());
        RetrievalEvaluator evaluator = heldOut.evaluator();
        for (int round = 0; round < 3; round++) {
            for (Map.Entry<String, RetrievalTask> task : tasks.entrySet()) {
                Cpu before = Cpu.now();
                long start = System.nanoTime();
                RetrievalReport report = evaluator.evaluate(task.getValue());
                Cpu spent = Cpu.now().minus(before);
                System.out.printf(Locale.ROOT, "round %d%s %-16s wall %5.2f s | process CPU %5.2f s (GC %.2f s) | MAP@R %.6f | "
                                + "load %.2f%n", round, round == 0 ? " (cold)" : "       ",
                        task.getKey(), (System.nanoTime() - start) / 1e9, spent.cpuSeconds(),
                        spent.gcMillis() / 1e3, report.get("mean_average_precision_at_r"), load());
                assertThat(report.evaluatedQueries()).isEqualTo(rows);
            }
        }
    }

    /** The Ks of Recall@K the service computes by default. */
    private static final int[] RECALL_KS = {1, 2, 4, 8};

    /**
     * One checkpoint's figures: seconds from its last record to each result read back, the test
     * kNN's seconds, the process CPU seconds over the same span (every thread of this JVM: the
     * scoring, TensorFlow, the in-JVM broker, GC, JIT), and the 1-minute load average after it.
     */
    private record Round(double test, double validation, double testKnn, double cpu, double load) {
    }

    /** "median (min-max)" of a figure over rounds. */
    private static String range(List<Round> rounds, java.util.function.ToDoubleFunction<Round> figure) {
        double[] v = rounds.stream().mapToDouble(figure).sorted().toArray();
        double median = (v[(v.length - 1) / 2] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median, v[0], v[v.length - 1]);
    }

    /** The process's CPU time and its garbage collectors' time so far. */
    private record Cpu(long cpuNanos, long gcMillis) {
        static Cpu now() {
            long gc = 0;
            for (java.lang.management.GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
                gc += Math.max(0, b.getCollectionTime());
            }
            return new Cpu(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime(), gc);
        }

        Cpu minus(Cpu earlier) {
            return new Cpu(cpuNanos - earlier.cpuNanos, gcMillis - earlier.gcMillis);
        }

        double cpuSeconds() {
            return cpuNanos / 1e9;
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Publishes the CNN as a checkpoint to a running loop (started, and waited for until it consumes)
     * scoring by {@code schedule}; prints last record -> each split's result and what it cost.
     */
    private Round lastRecordToResults(LocalKafkaBroker broker, KafkaProducer<String, byte[]> producer,
                                      PipelineFixture.TopicReader<EvaluationResult> reader, LabeledImages images, Path packed,
                                      SplitSchedule schedule, String name) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int threads = Runtime.getRuntime().availableProcessors();
        HeldOutScorer heldOut = new HeldOutScorer(threads, RECALL_KS, registry, ScoringProgress.NONE, schedule);
        EvaluationLoop.Settings settings = new EvaluationLoop.Settings(broker.bootstrapServers(), "bench-" + name,
                Files.createDirectories(tmp.resolve("work-" + name)), 1L << 32, Duration.ofMinutes(5), 1, (short) 1);
        String id = "bench-cnn-" + name;
        try (EvaluationLoop loop = new EvaluationLoop(settings, new SavedModelScorer(m -> images, heldOut, 512, registry),
                EvaluationLoop.BaselineSource.NONE, registry)) {
            loop.start();
            // a running service: its consumer has joined and read the results back before the checkpoint comes
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(10)).until(loop::isConsuming);
            CheckpointManifest manifest = CheckpointManifest.newBuilder().setCheckpointId(id).setRunId("bench-" + name)
                    .setLossName("untrained-cnn").setFold(0).setFoldCount(2)
                    .setDataset(DatasetSpec.newBuilder().setName("fashion-mnist")).build();
            long publishStart = System.nanoTime();
            CheckpointManifest sent = new CheckpointPublisher(producer).publish(manifest, packed);
            long lastRecord = System.nanoTime();
            Cpu before = Cpu.now();
            long[] seen = new long[2]; // test, validation: when each was first read back
            List<EvaluationResult> results = await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                    .until(reader::poll, l -> {
                        long now = System.nanoTime();
                        for (EvaluationResult r : l) {
                            int at = r.getSplit() == Split.SPLIT_TEST ? 0 : 1;
                            if (r.getCheckpointId().equals(id) && seen[at] == 0) {
                                seen[at] = now;
                            }
                        }
                        return seen[0] != 0 && seen[1] != 0;
                    });
            Cpu spent = Cpu.now().minus(before);
            List<EvaluationResult> ours = results.stream().filter(r -> r.getCheckpointId().equals(id)).toList();
            EvaluationResult v = ours.stream().filter(r -> r.getSplit() == Split.SPLIT_VALIDATION).findFirst().orElseThrow();
            EvaluationResult t = ours.stream().filter(r -> r.getSplit() == Split.SPLIT_TEST).findFirst().orElseThrow();
            assertThat(t.getError()).isEmpty();
            assertThat(v.getError()).isEmpty();
            Round round = new Round((seen[0] - lastRecord) / 1e9, (seen[1] - lastRecord) / 1e9, s(t.getTimings().getKnn()),
                    spent.cpuSeconds(), load());
            System.out.printf(Locale.ROOT, "-- %s: schedule %s (%d bytes in %d chunks, publish acknowledged in %.3f s), "
                            + "load %.2f%n", name, schedule, sent.getSizeBytes(), sent.getChunkCount(),
                    (lastRecord - publishStart) / 1e9, round.load());
            System.out.printf(Locale.ROOT, "last record -> test result read back:       %6.2f s%n", round.test());
            System.out.printf(Locale.ROOT, "last record -> validation result read back: %6.2f s%n", round.validation());
            System.out.printf(Locale.ROOT, "  process CPU from last record to both results: %.2f s (GC %.2f s)%n",
                    spent.cpuSeconds(), spent.gcMillis() / 1e3);
            System.out.printf(Locale.ROOT, "  download %.3f s | unpack + SavedModel %.3f s | publish acknowledged %.3f s (both)%n",
                    s(t.getTimings().getDownload()), s(t.getTimings().getUnpack()),
                    seconds(registry, "realitycheck.evaluation.publish"));
            print("test", t);
            print("validation", v);
            return round;
        }
    }

    private static void print(String name, EvaluationResult r) {
        EvaluationTimings t = r.getTimings();
        System.out.printf(Locale.ROOT, "  %-10s %,6d images: embed %.2f s (%,.0f images/s) | kNN %.2f s | metrics %.3f s | "
                        + "total %.2f s | MAP@R %.4f, P@1 %.4f%n", name, r.getMetrics().getQueryCount(),
                s(t.getEmbedding()), r.getMetrics().getQueryCount() / s(t.getEmbedding()), s(t.getKnn()), s(t.getMetrics()),
                s(t.getTotal()), r.getMetrics().getMeanAveragePrecisionAtR(), r.getMetrics().getPrecisionAt1());
        System.out.printf(Locale.ROOT, "  %-10s checkpoint whole -> record handed to the producer %.2f s (of which waiting to be "
                + "handed %.3f s)%n", "", s(t.getCheckpointToPublish()), s(t.getPublish()));
    }

    private static double s(com.google.protobuf.Duration d) {
        return d.getSeconds() + d.getNanos() / 1e9;
    }

    private static double seconds(SimpleMeterRegistry registry, String timer) {
        return registry.timer(timer).totalTime(TimeUnit.SECONDS);
    }
}
