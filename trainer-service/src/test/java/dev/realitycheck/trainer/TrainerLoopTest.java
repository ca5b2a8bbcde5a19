package dev.realitycheck.trainer;

import dev.realitycheck.data.TinyDataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.ValidationPoint;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.trainer.experiments.ExperimentLimits;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.trainer.runs.RunEventFollower;
import dev.realitycheck.trainer.runs.RunEventPublisher;
import dev.realitycheck.trainer.runs.RunStore;
import dev.realitycheck.trainer.training.RunDatasets;
import dev.realitycheck.trainer.training.RunMetrics;
import dev.realitycheck.trainer.training.RunTrainer;
import dev.realitycheck.trainer.training.TrainerLoop;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer loop against a real broker and the tiny dataset: a run's offset is committed only
 * when it ends; a run interrupted mid-way is redelivered and resumed from its latest local
 * checkpoint; a run cancelled while queued is skipped (and committed) without training; two pods
 * (two loops in one group, each following the run events) show the same runs, and a run cancelled on
 * one pod is stopped by the pod that trains it; a record on the run-events topic that is no
 * RunEvent goes to the dead-letter topic.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TrainerLoopTest {

    @TempDir
    static Path tmp;

    static String bootstrap;
    static RunDatasets datasets;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 2, (short) 1);
        }
        Path dir = TinyDataset.write(Files.createDirectories(tmp.resolve("tiny")), 10, 14, Specs.SIDE, 3);
        datasets = new RunDatasets(Map.of("tiny", dir));
    }

    @Test
    void anInterruptedRunIsRedeliveredAndResumesFromItsLatestLocalCheckpoint() throws Exception {
        RunSpec run = run("exp-resume", 60, 10);
        Path work = tmp.resolve("work-resume");
        publish("test.runs.resume", run);

        RunStore first = new RunStore();
        TrainerLoop loop = loop("g-resume", "test.runs.resume", first, work);
        first.register(run);
        CountDownLatch midway = new CountDownLatch(1);
        first.watch(run.getRunId(), p -> {
            if (p.getIteration() >= 15) {
                midway.countDown();
            }
        });
        loop.start();
        assertThat(midway.await(60, TimeUnit.SECONDS)).isTrue();
        loop.close(); // stops the run at its next iteration, uncommitted
        Run stopped = first.run(run.getRunId()).orElseThrow();
        assertThat(stopped.getState()).isEqualTo(RunState.RUN_STATE_RUNNING); // never finished here
        long resumeFrom = Long.parseLong(stopped.getLatestCheckpointId().replaceAll(".*\\.it", ""));
        assertThat(resumeFrom).isBetween(10L, 50L);
        assertThat(committed("g-resume")).isZero();

        RunStore second = new RunStore();
        second.register(run);
        List<RunProgress> reports = new CopyOnWriteArrayList<>();
        second.watch(run.getRunId(), reports::add);
        try (TrainerLoop again = loop("g-resume", "test.runs.resume", second, work)) {
            again.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> second.run(run.getRunId()).orElseThrow().getState()
                    == RunState.RUN_STATE_SUCCEEDED);
            await().atMost(Duration.ofSeconds(10)).until(() -> committed("g-resume") == 1);
        }
        assertThat(reports).filteredOn(p -> p.getIteration() > 0).first()
                .satisfies(p -> assertThat(p.getIteration()).isEqualTo(resumeFrom + 1));
        assertThat(second.run(run.getRunId()).orElseThrow().getLatestCheckpointId()).isEqualTo(run.getRunId() + ".it60");
    }

    @Test
    void aRunCancelledWhileQueuedIsSkippedAndCommitted() throws Exception {
        RunSpec run = run("exp-cancel", 20, 10);
        Path work = tmp.resolve("work-cancel");
        RunStore store = new RunStore();
        store.register(run);
        assertThat(store.cancel(run.getRunId(), "not needed")).isEqualTo(RunStore.CancelOutcome.CANCELLED);
        publish("test.runs.cancel", run);
        try (TrainerLoop loop = loop("g-cancel", "test.runs.cancel", store, work)) {
            loop.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> committed("g-cancel") == 1);
        }
        assertThat(store.run(run.getRunId()).orElseThrow().getState()).isEqualTo(RunState.RUN_STATE_CANCELLED);
        assertThat(work.resolve(run.getRunId())).doesNotExist();
    }

    @Test
    void aLargeCancelledExperimentDoesNotDelayTheNextExperimentsFirstRun() throws Exception {
        int cancelled = 20_000; // one at a time (a flush and a commit each) this took minutes
        String topic = "test.runs.big";
        RunStore store = new RunStore();
        RunSpec big = run("exp-big", 20, 10);
        RunSpec tiny = run("exp-tiny", 20, 10);
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, List.of(topic), 2, (short) 1);
        }
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test-big"))) {
            for (int i = 0; i < cancelled; i++) {
                RunSpec run = big.toBuilder().setRunId("exp-big.r" + i).build();
                store.register(run);
                store.cancel(run.getRunId(), "too big");
                producer.send(new ProducerRecord<>(topic, run.getRunId(), run.toByteArray()));
            }
            producer.send(new ProducerRecord<>(topic, tiny.getRunId(), tiny.toByteArray())).get();
        }
        store.register(tiny);
        long start = System.nanoTime();
        try (TrainerLoop loop = loop("g-big", topic, store, tmp.resolve("work-big"))) {
            loop.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> store.run(tiny.getRunId()).orElseThrow().getState()
                    != RunState.RUN_STATE_QUEUED);
            System.out.printf("the tiny run started %.1f s after the loop, behind %,d cancelled runs%n",
                    (System.nanoTime() - start) / 1e9, cancelled);
            await().atMost(Duration.ofSeconds(60)).until(() -> store.run(tiny.getRunId()).orElseThrow().getState()
                    == RunState.RUN_STATE_SUCCEEDED);
            await().atMost(Duration.ofSeconds(30)).until(() -> committed("g-big") == cancelled + 1);
        }
        assertThat(store.run("exp-big.r0").orElseThrow().getState()).isEqualTo(RunState.RUN_STATE_CANCELLED);
        assertThat(tmp.resolve("work-big").resolve("exp-big.r0")).doesNotExist();
    }

    /** A trainer pod: its store (publishing and following the test's event topics) and its trainer loop. */
    private record Pod(RunStore store, RunEventPublisher events, RunEventFollower follower, TrainerLoop loop)
            implements AutoCloseable {

        static Pod start(String name, String group, String runsTopic, String eventsTopic, String experimentsTopic,
                         Path work) {
            RunEventPublisher events = new RunEventPublisher(bootstrap, eventsTopic, Duration.ofSeconds(10));
            RunStore store = new RunStore(name, events);
            RunEventFollower follower = new RunEventFollower(bootstrap, eventsTopic, experimentsTopic, store, 2, (short) 1);
            follower.start();
            TrainerLoop loop = TrainerLoopTest.loop(group, runsTopic, store, work);
            loop.start();
            return new Pod(store, events, follower, loop);
        }

        RunState state(String runId) {
            return store.run(runId).map(Run::getState).orElse(RunState.RUN_STATE_UNSPECIFIED);
        }

        @Override
        public void close() throws Exception {
            loop.close();
            follower.close();
            events.close();
        }
    }

    @Test
    void twoPodsShowTheSameRunsAndEitherPodCancelsARunTheOtherTrains() throws Exception {
        String runsTopic = "test.runs.pods";
        String eventsTopic = "test.run-events.pods";
        String experimentsTopic = "test.experiments.pods";
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, List.of(eventsTopic), 2, (short) 1);
            TopicAdmin.ensureTopics(admin, List.of(experimentsTopic), 1, (short) 1);
        }
        var shortSpec = Specs.tiny("tiny", 30, 10);
        shortSpec.getSettingsBuilder().setValidationInterval(10);
        RunSpec shortRun = new ExperimentValidator(datasets, ExperimentLimits.DEFAULTS).validate("exp-pods", shortSpec.build(),
                Timestamp.getDefaultInstance()).getFirst();
        RunSpec longRun = run("exp-pods", 1_000_000, 0).toBuilder()
                .setRunId("exp-pods.contrastive.fold0.seed0.long").build();
        try (Pod a = Pod.start("pod-a", "g-pods", runsTopic, eventsTopic, experimentsTopic, tmp.resolve("work-a"));
             Pod b = Pod.start("pod-b", "g-pods", runsTopic, eventsTopic, experimentsTopic, tmp.resolve("work-b"));
             Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test-pods"))) {
            // what StartExperiment on pod A does: the experiment record, the runs, their QUEUED events
            producer.send(new ProducerRecord<>(experimentsTopic, "exp-pods", ExperimentRecord.newBuilder()
                    .setExperimentId("exp-pods").setSpec(shortSpec).build().toByteArray())).get();
            for (RunSpec run : List.of(shortRun, longRun)) {
                producer.send(new ProducerRecord<>(runsTopic, run.getRunId(), run.toByteArray())).get();
            }
            a.store().queued(List.of(shortRun, longRun));

            await().atMost(Duration.ofSeconds(90)).until(() -> a.state(shortRun.getRunId()) == RunState.RUN_STATE_SUCCEEDED
                    && b.state(shortRun.getRunId()) == RunState.RUN_STATE_SUCCEEDED);
            RunEvent seenByA = a.store().event(shortRun.getRunId()).orElseThrow();
            RunEvent seenByB = b.store().event(shortRun.getRunId()).orElseThrow();
            assertThat(seenByA.getValidationsList()).extracting(ValidationPoint::getIteration).containsExactly(10L, 20L, 30L);
            assertThat(seenByB.getValidationsList()).isEqualTo(seenByA.getValidationsList());
            assertThat(seenByB.getBest()).isEqualTo(seenByA.getBest());
            assertThat(seenByA.getReporter()).isEqualTo(seenByB.getReporter()).isIn("pod-a", "pod-b");
            for (Pod pod : List.of(a, b)) {
                assertThat(pod.store().experiment("exp-pods")).get().satisfies(e -> {
                    assertThat(e.getRunCount()).isEqualTo(2);
                    assertThat(e.getRunsByStateMap()).containsEntry("RUN_STATE_SUCCEEDED", 1);
                });
                assertThat(pod.store().run(shortRun.getRunId()).orElseThrow().getProgress().getBestValidationMapAtR())
                        .isEqualTo(seenByA.getBest().getMapAtR());
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> a.state(longRun.getRunId()) == RunState.RUN_STATE_RUNNING
                    && b.state(longRun.getRunId()) == RunState.RUN_STATE_RUNNING);
            String trainer = a.store().event(longRun.getRunId()).orElseThrow().getReporter();
            Pod other = trainer.equals("pod-a") ? b : a;
            Pod training = other == a ? b : a;
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    training.store().run(longRun.getRunId()).orElseThrow().getProgress().getIteration() > 0);
            List<RunProgress> watched = new CopyOnWriteArrayList<>();
            other.store().watch(longRun.getRunId(), watched::add);
            assertThat(other.store().cancel(longRun.getRunId(), "by the other pod")).isEqualTo(RunStore.CancelOutcome.CANCELLED);

            // the training pod stops it and acknowledges it: both runs of the group's topic are committed
            await().atMost(Duration.ofSeconds(60)).until(() -> committed("g-pods") == 2);
            assertThat(training.state(longRun.getRunId())).isEqualTo(RunState.RUN_STATE_CANCELLED);
            assertThat(training.store().run(longRun.getRunId()).orElseThrow().getError()).contains("by the other pod");
            assertThat(training.store().run(longRun.getRunId()).orElseThrow().getProgress().getIteration())
                    .isPositive().isLessThan(1_000_000);
            assertThat(watched.getLast().getState()).isEqualTo(RunState.RUN_STATE_CANCELLED);
        }
    }

    @Test
    void aRecordOnTheRunEventsTopicThatIsNoRunEventGoesToTheDeadLetterTopic() throws Exception {
        String eventsTopic = "test.run-events.bad";
        RunStore store = new RunStore("pod-x", RunStore.EventSink.NONE);
        try (RunEventFollower follower = new RunEventFollower(bootstrap, eventsTopic, "test.experiments.bad", store, 1,
                (short) 1);
             Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test-bad"))) {
            follower.start();
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            producer.send(new ProducerRecord<>(eventsTopic, "r-bad", new byte[] {0x0A, (byte) 0xFF})).get();
            try (var consumer = new KafkaConsumer<byte[], byte[]>(
                    KafkaSettings.consumer(bootstrap, null, "test-dead-letters"))) {
                var partitions = consumer.partitionsFor(Topics.DEAD_LETTERS).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                List<DeadLetter> letters = new CopyOnWriteArrayList<>();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        var letter = DeadLetter.parseFrom(r.value());
                        if (letter.getSourceTopic().equals(eventsTopic)) {
                            letters.add(letter);
                        }
                    }
                    return !letters.isEmpty();
                });
                assertThat(letters.getFirst().getKey().toStringUtf8()).isEqualTo("r-bad");
                assertThat(letters.getFirst().getMessage()).contains("is not a RunEvent");
            }
        }
        assertThat(store.runs("", RunState.RUN_STATE_UNSPECIFIED)).isEmpty();
    }

    private static RunSpec run(String experimentId, long iterations, long interval) {
        List<RunSpec> runs = new ExperimentValidator(datasets, ExperimentLimits.DEFAULTS).validate(experimentId,
                Specs.tiny("tiny", iterations, interval).build(), Timestamp.getDefaultInstance());
        assertThat(runs).hasSize(1);
        return runs.getFirst();
    }

    private static TrainerLoop loop(String group, String topic, RunStore store, Path work) {
        RunMetrics metrics = new RunMetrics(new SimpleMeterRegistry());
        return new TrainerLoop(new TrainerLoop.Settings(bootstrap, group, topic, Duration.ofMinutes(10), 2, (short) 1), store,
                publisher -> new RunTrainer(datasets, work, new SessionThreads(1, 1), publisher, store, metrics));
    }

    /** Publishes on a topic of the test's own, so the tests' groups do not see each other's runs. */
    private static void publish(String topic, RunSpec run) throws Exception {
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, List.of(topic), 2, (short) 1);
        }
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test-runs"))) {
            producer.send(new ProducerRecord<>(topic, run.getRunId(), run.toByteArray())).get();
        }
    }

    /** Offsets the group committed on the runs topic, summed over partitions (one run per test topic). */
    private static long committed(String group) throws Exception {
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }
}
