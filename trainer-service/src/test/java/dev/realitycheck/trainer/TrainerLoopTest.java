package dev.realitycheck.trainer;

import dev.realitycheck.data.TinyDataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.realitycheck.kafka.KafkaBrokerExtension;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.train.SessionThreads;
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
 * checkpoint; a run cancelled while queued is skipped (and committed) without training.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TrainerLoopTest {

    @TempDir
    static Path tmp;

    static String bootstrap;
    static DatasetCatalog datasets;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 2, (short) 1);
        }
        Path dir = TinyDataset.write(Files.createDirectories(tmp.resolve("tiny")), 10, 14, Specs.SIDE, 3);
        datasets = new DatasetCatalog(Map.of("tiny", dir));
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

    private static RunSpec run(String experimentId, long iterations, long interval) {
        List<RunSpec> runs = new ExperimentValidator(datasets).validate(experimentId,
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
