package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.evaluation.consume.EvaluationLoop;
import dev.realitycheck.evaluation.scoring.Baselines;
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
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
        System.out.printf(Locale.ROOT, "%n== evaluation pipeline benchmark (%d threads, small CNN 28x28 -> 64, fold 0 of 2) ==%n",
                threads);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(broker.bootstrapServers(), "bench"));
             PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(broker.bootstrapServers())) {
            // a first, unreported round warms the JIT and TensorFlow, so the schedules compare alike
            lastRecordToResults(broker, producer, reader, images, packed, SplitSchedule.SEQUENTIAL, "warm-up", false);
            for (SplitSchedule schedule : SplitSchedule.values()) {
                lastRecordToResults(broker, producer, reader, images, packed, schedule, schedule.name().toLowerCase(Locale.ROOT),
                        true);
            }
        }
    }

    /** Publishes the CNN as a checkpoint to a loop scoring by {@code schedule}; prints last record -> each split's result. */
    private void lastRecordToResults(LocalKafkaBroker broker, KafkaProducer<String, byte[]> producer,
                                     PipelineFixture.TopicReader<EvaluationResult> reader, LabeledImages images, Path packed,
                                     SplitSchedule schedule, String name, boolean report) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int threads = Runtime.getRuntime().availableProcessors();
        HeldOutScorer heldOut = new HeldOutScorer(threads, new int[] {1, 2, 4, 8}, registry, ScoringProgress.NONE, schedule);
        EvaluationLoop.Settings settings = new EvaluationLoop.Settings(broker.bootstrapServers(), "bench-" + name,
                Files.createDirectories(tmp.resolve("work-" + name)), 1L << 32, Duration.ofMinutes(5), 1, (short) 1);
        String id = "bench-cnn-" + name;
        try (EvaluationLoop loop = new EvaluationLoop(settings, new SavedModelScorer(m -> images, heldOut, 512, registry),
                EvaluationLoop.BaselineSource.NONE, registry)) {
            loop.start();
            CheckpointManifest manifest = CheckpointManifest.newBuilder().setCheckpointId(id).setRunId("bench-" + name)
                    .setLossName("untrained-cnn").setFold(0).setFoldCount(2)
                    .setDataset(DatasetSpec.newBuilder().setName("fashion-mnist")).build();
            long publishStart = System.nanoTime();
            CheckpointManifest sent = new CheckpointPublisher(producer).publish(manifest, packed);
            long lastRecord = System.nanoTime();
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
            List<EvaluationResult> ours = results.stream().filter(r -> r.getCheckpointId().equals(id)).toList();
            EvaluationResult v = ours.stream().filter(r -> r.getSplit() == Split.SPLIT_VALIDATION).findFirst().orElseThrow();
            EvaluationResult t = ours.stream().filter(r -> r.getSplit() == Split.SPLIT_TEST).findFirst().orElseThrow();
            assertThat(t.getError()).isEmpty();
            assertThat(v.getError()).isEmpty();
            if (!report) {
                return;
            }
            System.out.printf(Locale.ROOT, "-- schedule %s (%d bytes in %d chunks, publish acknowledged in %.3f s)%n", schedule,
                    sent.getSizeBytes(), sent.getChunkCount(), (lastRecord - publishStart) / 1e9);
            System.out.printf(Locale.ROOT, "last record -> test result read back:       %6.2f s%n", (seen[0] - lastRecord) / 1e9);
            System.out.printf(Locale.ROOT, "last record -> validation result read back: %6.2f s%n", (seen[1] - lastRecord) / 1e9);
            System.out.printf(Locale.ROOT, "  download %.3f s | unpack + SavedModel %.3f s | publish acknowledged %.3f s (both)%n",
                    s(t.getTimings().getDownload()), s(t.getTimings().getUnpack()),
                    seconds(registry, "realitycheck.evaluation.publish"));
            print("test", t);
            print("validation", v);
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
