package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.evaluation.consume.EvaluationLoop;
import dev.realitycheck.evaluation.progress.KafkaProgressPublisher;
import dev.realitycheck.evaluation.scoring.Baselines;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationPhase;
import dev.realitycheck.proto.v1.EvaluationProgress;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * When baselines are computed and how scoring shows its progress, against a real broker, real
 * SavedModels and a real (tiny) IDX dataset: baselines only for the folds checkpoints name, each
 * baseline's test classes scored once, trained checkpoints published before baselines when both
 * wait, and a start and an end (log line and {@code realitycheck.evaluation-progress} record) for
 * every scored split. Each test names its own dataset, so the baseline run ids of one test are not
 * the other tests' (they share the broker).
 */
@ExtendWith(KafkaBrokerExtension.class)
class BaselineSchedulingTest {

    @TempDir
    static Path tmp;

    static PipelineFixture fixture;
    static Path packed;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) throws Exception {
        fixture = PipelineFixture.onBroker(broker, tmp);
        packed = fixture.model(tmp, "model", 21);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    /** A checkpoint of {@code fold} (of {@code folds}) of the tiny images under the dataset name {@code dataset}. */
    private static CheckpointManifest manifest(String checkpointId, String dataset, int folds, int fold) {
        return fixture.manifest(checkpointId, "run-" + checkpointId, fold).toBuilder().setFoldCount(folds)
                .setDataset(fixture.dataset().toBuilder().setName(dataset)).build();
    }

    /** A loop whose scoring (checkpoints and baselines) reports progress on Kafka. */
    private static EvaluationLoop loop(String group, KafkaProgressPublisher progress) {
        HeldOutScorer heldOut = fixture.heldOut(progress);
        return fixture.loop(group, new dev.realitycheck.evaluation.scoring.SavedModelScorer(m -> fixture.images, heldOut,
                64, fixture.registry), EvaluationLoop.BaselineSource.of(new Baselines(m -> fixture.images, heldOut, fixture.workDir)));
    }

    private static List<EvaluationResult> ofDataset(List<EvaluationResult> results, String dataset) {
        return results.stream().filter(r -> r.getDataset().getName().equals(dataset)).toList();
    }

    @Test
    void onlyTheFoldsCheckpointsNameGetBaselinesAndEachBaselinesTestClassesAreScoredOnce() throws Exception {
        String dataset = "tiny-folds";
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             PipelineFixture.TopicReader<EvaluationProgress> progress = PipelineFixture.progress(fixture.bootstrap);
             KafkaProgressPublisher publisher = new KafkaProgressPublisher(fixture.bootstrap);
             EvaluationLoop loop = loop("group-folds", publisher)) {
            loop.start();
            // K = 3, checkpoints of folds 0 and 2 only: fold 1 is used by no run
            fixture.publish(manifest("folds-f0", dataset, 3, 0), packed);
            fixture.publish(manifest("folds-f2", dataset, 3, 2), packed);

            // 2 baselines x 2 folds x 2 splits
            List<EvaluationResult> baselines = await().atMost(Duration.ofSeconds(120)).until(
                    () -> ofDataset(reader.poll(), dataset).stream().filter(EvaluationResult::getBaseline).toList(),
                    l -> l.size() >= 8);
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.baselinesWaiting() == 0);

            assertThat(baselines).extracting(EvaluationResult::getRunId).containsOnly(
                    "baseline:raw-pixels:tiny-folds:k3:f0", "baseline:raw-pixels:tiny-folds:k3:f2",
                    "baseline:untrained-mlp:tiny-folds:k3:f0", "baseline:untrained-mlp:tiny-folds:k3:f2");
            assertThat(PipelineFixture.byId(reader.poll()).keySet()).noneMatch(id -> id.contains(":tiny-folds:k3:f1"));
            // the test classes of each baseline: one scoring, its metrics under both folds' runs
            for (String name : List.of("raw-pixels", "untrained-mlp")) {
                List<EvaluationResult> tests = baselines.stream()
                        .filter(r -> r.getLossName().equals(name) && r.getSplit() == Split.SPLIT_TEST).toList();
                assertThat(tests).extracting(EvaluationResult::getFold).containsExactlyInAnyOrder(0, 2);
                assertThat(tests.get(0).getMetrics()).isEqualTo(tests.get(1).getMetrics());
            }
            List<EvaluationProgress> baselineEnds = await().atMost(Duration.ofSeconds(30)).until(
                    () -> progress.poll().stream().filter(e -> e.getRunId().contains(":" + dataset + ":"))
                            .filter(e -> e.getPhase() == EvaluationPhase.EVALUATION_PHASE_FINISHED).toList(),
                    l -> l.size() >= 6);
            List<EvaluationProgress> all = progress.poll().stream().filter(e -> e.getRunId().contains(":" + dataset + ":")).toList();
            assertThat(all).allMatch(EvaluationProgress::getBaseline);
            assertThat(all.stream().filter(e -> e.getSplit() == Split.SPLIT_TEST
                    && e.getPhase() == EvaluationPhase.EVALUATION_PHASE_STARTED))
                    .as("one test scoring per baseline, not one per fold").hasSize(2);
            assertThat(baselineEnds.stream().filter(e -> e.getSplit() == Split.SPLIT_VALIDATION)).hasSize(4);
        }
    }

    @Test
    void aWaitingCheckpointIsPublishedBeforeTheBaselinesOfAnEarlierOne() throws Exception {
        String dataset = "tiny-order";
        // both checkpoints are on the topic before the loop starts: the first one's baselines and the
        // second checkpoint wait at the same time
        fixture.publish(manifest("order-a", dataset, 2, 0), packed);
        fixture.publish(manifest("order-b", dataset, 2, 1), packed);
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             EvaluationLoop loop = fixture.loop("group-order", fixture.scorer(), EvaluationLoop.BaselineSource.of(
                     new Baselines(m -> fixture.images, fixture.heldOut(), fixture.workDir)))) {
            loop.start();

            List<EvaluationResult> results = await().atMost(Duration.ofSeconds(120)).until(
                    () -> ofDataset(reader.poll(), dataset), l -> l.size() >= 4 + 8);

            List<EvaluationResult> checkpoints = results.stream().filter(r -> !r.getBaseline()).toList();
            List<EvaluationResult> baselines = results.stream().filter(EvaluationResult::getBaseline).toList();
            assertThat(checkpoints).extracting(EvaluationResult::getCheckpointId).containsOnly("order-a", "order-b");
            assertThat(baselines).hasSize(8);
            EvaluationResult lastCheckpoint = checkpoints.stream().max(Comparator.comparing(BaselineSchedulingTest::nanos)).orElseThrow();
            EvaluationResult firstBaseline = baselines.stream().min(Comparator.comparing(BaselineSchedulingTest::nanos)).orElseThrow();
            assertThat(lastCheckpoint.getCheckpointId()).isEqualTo("order-b");
            assertThat(nanos(firstBaseline)).as("the first baseline (%s) is evaluated after checkpoint order-b",
                    firstBaseline.getEvaluationId()).isGreaterThan(nanos(lastCheckpoint));
        }
    }

    @Test
    void aCheckpointArrivingWhileBaselinesArePendingIsScoredBeforeThem() throws Exception {
        String dataset = "tiny-arrive";
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch firstBaselineRunning = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch secondCheckpointSent = new java.util.concurrent.CountDownLatch(1);
        Baselines baselines = new Baselines(m -> fixture.images, fixture.heldOut(), fixture.workDir);
        // the real baselines, holding the first task until the second checkpoint is on the topic
        EvaluationLoop.BaselineSource source = new EvaluationLoop.BaselineSource() {
            @Override
            public List<Baselines.Task> tasksFor(CheckpointManifest checkpoint) {
                return baselines.tasksFor(checkpoint);
            }

            @Override
            public List<EvaluationResult> run(Baselines.Task task) throws Exception {
                events.add("baseline " + task);
                if (firstBaselineRunning.getCount() > 0) {
                    firstBaselineRunning.countDown();
                    assertThat(secondCheckpointSent.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                }
                return baselines.run(task);
            }
        };
        dev.realitycheck.evaluation.scoring.CheckpointScorer scorer = (m, p) -> {
            events.add("checkpoint " + m.getCheckpointId());
            return fixture.scorer().score(m, p);
        };
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             EvaluationLoop loop = fixture.loop("group-arrive", scorer, source)) {
            loop.start();
            fixture.publish(manifest("arrive-a", dataset, 2, 0), packed);
            assertThat(firstBaselineRunning.await(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(loop.baselinesWaiting()).as("baselines still pending behind the running one").isPositive();
            fixture.publish(manifest("arrive-b", dataset, 2, 1), packed);
            secondCheckpointSent.countDown();

            // both checkpoints, both splits; 2 baselines x 2 folds x 2 splits
            await().atMost(Duration.ofSeconds(120)).until(() -> ofDataset(reader.poll(), dataset), l -> l.size() >= 4 + 8);
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.baselinesWaiting() == 0);

            assertThat(events.get(0)).isEqualTo("checkpoint arrive-a");
            assertThat(events.get(1)).startsWith("baseline ");
            assertThat(events.get(2)).as("the checkpoint that arrived during the first baseline task goes before every "
                    + "other baseline task: %s", events).isEqualTo("checkpoint arrive-b");
            assertThat(events.subList(3, events.size())).isNotEmpty().allMatch(e -> e.startsWith("baseline "));
        }
    }

    @Test
    void scoringASplitWritesAStartAndAnEndAsALogLineAndAProgressRecord() throws Exception {
        String dataset = "tiny-progress";
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                        : record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(HeldOutScorer.class.getName());
        logger.addHandler(capture);
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             PipelineFixture.TopicReader<EvaluationProgress> progress = PipelineFixture.progress(fixture.bootstrap);
             KafkaProgressPublisher publisher = new KafkaProgressPublisher(fixture.bootstrap);
             EvaluationLoop loop = loop("group-progress", publisher)) {
            loop.start();
            fixture.publish(manifest("progress-1", dataset, 2, 1), packed);

            List<EvaluationResult> results = await().atMost(Duration.ofSeconds(90)).until(
                    () -> reader.poll().stream().filter(r -> r.getCheckpointId().equals("progress-1")).toList(),
                    l -> l.size() >= 2);
            List<EvaluationProgress> events = await().atMost(Duration.ofSeconds(30)).until(
                    () -> progress.poll().stream().filter(e -> e.getCheckpointId().equals("progress-1")).toList(),
                    l -> l.size() >= 4);

            for (EvaluationResult result : results) {
                String id = result.getEvaluationId();
                List<EvaluationProgress> of = events.stream().filter(e -> e.getEvaluationId().equals(id)).toList();
                assertThat(of).extracting(EvaluationProgress::getPhase)
                        .containsExactly(EvaluationPhase.EVALUATION_PHASE_STARTED, EvaluationPhase.EVALUATION_PHASE_FINISHED);
                assertThat(of).allSatisfy(e -> {
                    assertThat(e.getRunId()).isEqualTo("run-progress-1");
                    assertThat(e.getExperimentId()).isEqualTo("exp-1");
                    assertThat(e.getSplit()).isEqualTo(result.getSplit());
                    assertThat(e.getBaseline()).isFalse();
                    assertThat(e.getQueryCount()).isEqualTo(result.getMetrics().getQueryCount());
                });
                assertThat(of.get(0).hasElapsed()).isFalse();
                long elapsed = of.get(1).getElapsed().getSeconds() * 1_000_000_000L + of.get(1).getElapsed().getNanos();
                assertThat(elapsed).isPositive();
                assertThat(lines).anyMatch(l -> l.startsWith("scoring " + id + ": "))
                        .anyMatch(l -> l.startsWith("scored " + id + ": " + String.format("%,d", result.getMetrics().getQueryCount())
                                + " queries in "));
            }
        } finally {
            logger.removeHandler(capture);
        }
    }

    private static long nanos(EvaluationResult r) {
        return r.getEvaluatedAt().getSeconds() * 1_000_000_000L + r.getEvaluatedAt().getNanos();
    }
}
