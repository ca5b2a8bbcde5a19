package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.trainer.experiments.ExperimentLimits;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.trainer.runs.RunStore;
import dev.realitycheck.trainer.training.PublishedCheckpoints;
import dev.realitycheck.trainer.training.RunDatasets;
import dev.realitycheck.trainer.training.RunMetrics;
import dev.realitycheck.trainer.training.RunTrainer;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run interrupted on "pod A" whose work dir is then lost resumes on "pod B" (another work dir,
 * another store fed A's run event) from A's last checkpoint on Kafka, which carries the training
 * state, and continues exactly as an uninterrupted run: same losses, same validations.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ResumeOnAnotherPodTest {

    @TempDir
    static Path tmp;

    static String bootstrap;
    static Producer<String, byte[]> producer;
    static RunDatasets datasets;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        try (var admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 2, (short) 1);
        }
        producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "resume-test"));
        Path tiny = TinyDataset.write(Files.createDirectories(tmp.resolve("tiny")), 10, 14, Specs.SIDE, 3);
        datasets = new RunDatasets(Map.of("tiny", tiny));
    }

    @AfterAll
    static void tearDown() {
        producer.close();
    }

    @Test
    void aRunWhosePodAndWorkDirAreGoneResumesFromItsLastPublishedCheckpointWithTheSameTrajectory() throws Exception {
        RunSpec run = run("exp-moved");
        RunSpec reference = run.toBuilder().setRunId("exp-moved.reference").build();

        // pod A: trains until past iteration 25 (checkpoints at 10 and 20), then its pod dies
        RunStore storeA = new RunStore("pod-a", RunStore.EventSink.NONE);
        storeA.register(run);
        List<Float> lossesA = losses(storeA, run);
        Path workA = tmp.resolve("work-a");
        assertThat(trainer(storeA, workA).train(run, () -> storeA.run(run.getRunId()).orElseThrow().getProgress()
                .getIteration() >= 25)).isEqualTo(RunTrainer.Outcome.INTERRUPTED);
        assertThat(lossesA).hasSize(25);
        RunTrajectory.deleteRecursively(workA);

        // what evaluation and embedding replicas download carries no training state; the resume topic does
        assertThat(new PublishedCheckpoints(bootstrap, Topics.CHECKPOINTS, Duration.ofSeconds(60))
                .latest(run.getRunId(), tmp.resolve("probe-serving"))).isEmpty();
        assertThat(new PublishedCheckpoints(bootstrap, Topics.TRAINING_STATES, Duration.ofSeconds(60))
                .latest(run.getRunId(), tmp.resolve("probe-resume"))).hasValueSatisfying(c -> {
                    assertThat(c.iteration()).isEqualTo(20);
                    assertThat(c.state()).isRegularFile();
                });

        // pod B: no work dir of A's; its store knows A's last event (as its run-event follower would)
        RunTrajectory.Finished b = RunTrajectory.resumedOnAnotherPod(run, storeA,
                store -> trainer(store, tmp.resolve("work-b")));
        List<Float> lossesB = b.trajectory().losses();
        assertThat(b.trajectory().iterations().getFirst()).isEqualTo(21L);

        // the same run uninterrupted
        RunTrajectory.Finished c = RunTrajectory.uninterrupted(reference, store -> trainer(store, tmp.resolve("work-c")));
        List<Float> lossesC = c.trajectory().losses();

        assertThat(lossesB).isEqualTo(lossesC.subList(20, 40));
        assertThat(lossesA).isEqualTo(lossesC.subList(0, 25));
        RunTrajectory.assertSameValidations(b.event(), c.event(), 10L, 20L, 30L, 40L);
        assertThat(b.event().getBest().getIteration()).isEqualTo(c.event().getBest().getIteration());
    }

    private static List<Float> losses(RunStore store, RunSpec run) {
        return RunTrajectory.watch(store, run.getRunId()).losses();
    }

    private static RunTrainer trainer(RunStore store, Path work) {
        return new RunTrainer(datasets, work, new SessionThreads(1, 1), new CheckpointPublisher(producer), store,
                new RunMetrics(new SimpleMeterRegistry()),
                new PublishedCheckpoints(bootstrap, Topics.TRAINING_STATES, Duration.ofSeconds(60)));
    }

    private static RunSpec run(String experiment) {
        ExperimentSpec.Builder spec = Specs.tiny("tiny", 40, 10);
        spec.getSettingsBuilder().getOptimizerBuilder().setTrunkLearningRate(0.01);
        List<RunSpec> runs = new ExperimentValidator(datasets, ExperimentLimits.DEFAULTS).validate(experiment, spec.build(), Timestamp.getDefaultInstance());
        return runs.getFirst();
    }
}
