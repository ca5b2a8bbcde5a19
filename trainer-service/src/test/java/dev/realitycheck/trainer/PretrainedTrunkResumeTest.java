package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.data.images.ImageDatasetFixtures;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.model.BnInceptionArchitecture;
import dev.realitycheck.model.Initialization;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.PretrainedWeights;
import dev.realitycheck.model.SafetensorsFile;
import dev.realitycheck.model.Weights;
import dev.realitycheck.proto.v1.AugmentationSpec;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.CheckpointRecord;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.SplitSpec;
import dev.realitycheck.proto.v1.TrainingSettings;
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
import java.util.ArrayList;
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
 * Issue 16's "done when", the trainer's part: a spec naming a BN-Inception weight file (the paper's trunk;
 * safetensors in its published names, generated here under the data root) on a generated image-folder dataset is
 * validated as a client's spec is, trains from that file, publishes checkpoints, and after its pod
 * and work dir are gone resumes on another pod from the published training state with the
 * uninterrupted run's losses, validations and final model. Every manifest names the weight file's SHA-256, and the
 * file really was read: the same spec without it starts from another loss. (The evaluation and
 * embedding services score and serve such a checkpoint in e2e's {@code PipelineEndToEndTest}.)
 */
@ExtendWith(KafkaBrokerExtension.class)
class PretrainedTrunkResumeTest {

    @TempDir
    static Path tmp;

    static LocalKafkaBroker broker;
    static Producer<String, byte[]> producer;
    static RunDatasets datasets;
    static Path folders;
    static Path weights;

    @BeforeAll
    static void setUp(LocalKafkaBroker kafka) throws Exception {
        broker = kafka;
        try (var admin = TopicAdmin.admin(kafka.bootstrapServers())) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 2, (short) 1);
        }
        producer = new KafkaProducer<>(KafkaSettings.producer(kafka.bootstrapServers(), "pretrained-resume-test"));
        Path root = tmp.toRealPath();
        folders = ImageDatasetFixtures.imageFolders(root.resolve("folders"), 8, 4);
        weights = Files.createDirectories(root.resolve("weights")).resolve("bn_inception.safetensors");
        // a "published" BN-Inception (the paper's trunk) in its published names: values no run here draws (seed 77)
        SafetensorsFile.write(weights, PretrainedWeights.toTensors(Weights.initial(new BnInceptionArchitecture(
                InputSpec.image(32, 32, 3, Preprocessing.none()), 8, true), 77, Initialization.GLOROT)));
        datasets = new RunDatasets(Map.of(), new DataRoots(List.of(root), RunDatasets.DATA_ROOTS_SETTING));
    }

    @AfterAll
    static void tearDown() {
        producer.close();
    }

    @Test
    void aSpecNamingAWeightFileTrainsPublishesAndResumesOnAnotherPodWithTheSameTrajectory() throws Exception {
        RunSpec run = run("exp-pretrained", spec(weights.toString()));
        RunSpec reference = run.toBuilder().setRunId(run.getRunId() + ".reference").build();
        assertThat(run.getSettings().getPretrainedWeights()).isEqualTo(weights.toString());

        // pod A: iterations 1-3 (checkpoint at 2), then its pod and work dir are gone
        RunStore storeA = new RunStore("pod-a", RunStore.EventSink.NONE);
        storeA.register(run);
        List<Float> lossesA = losses(storeA, run);
        Path workA = tmp.resolve("work-a");
        assertThat(trainer(storeA, workA).train(run, () -> iteration(storeA, run) >= 3))
                .isEqualTo(RunTrainer.Outcome.INTERRUPTED);
        assertThat(lossesA).hasSize(3);
        RunTrajectory.deleteRecursively(workA);

        // pod B resumes from the training state published at 2
        RunTrajectory.Finished b = RunTrajectory.resumedOnAnotherPod(run, storeA,
                store -> trainer(store, tmp.resolve("work-b")));
        List<Float> lossesB = b.trajectory().losses();
        assertThat(b.trajectory().iterations()).containsExactly(3L, 4L);

        // the same spec uninterrupted
        RunTrajectory.Finished c = RunTrajectory.uninterrupted(reference, store -> trainer(store, tmp.resolve("work-c")));
        List<Float> lossesC = c.trajectory().losses();
        assertThat(lossesA).isEqualTo(lossesC.subList(0, 3));
        assertThat(lossesB).isEqualTo(lossesC.subList(2, 4));
        RunTrajectory.assertSameValidations(b.event(), c.event(), 2L, 4L);

        // the resumed pod ends with the uninterrupted run's model (same packed bytes), and every
        // checkpoint, the resumed pod's too, names the weight file it started from
        List<CheckpointManifest> resumed = manifests(run.getRunId(), 2);
        List<CheckpointManifest> uninterrupted = manifests(reference.getRunId(), 2);
        assertThat(resumed).extracting(CheckpointManifest::getIteration).containsExactly(2L, 4L);
        assertThat(uninterrupted).extracting(CheckpointManifest::getIteration).containsExactly(2L, 4L);
        assertThat(resumed.getLast().getSha256()).isEqualTo(uninterrupted.getLast().getSha256());
        String digest = CheckpointPublisher.sha256(weights);
        assertThat(resumed).allSatisfy(m -> assertThat(m.getPretrainedWeightsSha256()).isEqualTo(digest).hasSize(64));
        assertThat(uninterrupted.getFirst().getPretrainedWeightsSha256()).isEqualTo(digest);

        // the file was read: from random values the same spec starts from another loss
        RunSpec random = run("exp-random", spec(""));
        RunStore storeD = new RunStore("pod-d", RunStore.EventSink.NONE);
        storeD.register(random);
        List<Float> lossesD = losses(storeD, random);
        assertThat(trainer(storeD, tmp.resolve("work-d")).train(random, () -> iteration(storeD, random) >= 1))
                .isEqualTo(RunTrainer.Outcome.INTERRUPTED);
        assertThat(lossesD).hasSize(1);
        assertThat(lossesD.getFirst()).isNotEqualTo(lossesC.getFirst());
    }

    /** BN-Inception (fine-tuned) on 32 x 32 crops of the image folders, contrastive, batch 4 of 2 classes, 4 iterations. */
    private static ExperimentSpec spec(String weightFile) {
        return ExperimentSpec.newBuilder().setName("pretrained")
                .setDataset(DatasetSpec.newBuilder().setName("folders").setPath(folders.toString())
                        .setFormat(DatasetFormat.DATASET_FORMAT_IMAGE_FOLDERS)
                        .setSplit(SplitSpec.newBuilder().setFolds(2).addRunFolds(0)))
                .setSettings(TrainingSettings.newBuilder().setTrunk("bn-inception").setPretrainedWeights(weightFile)
                        .setEmbeddingSize(8).setBatchSize(4).setMPerClass(2).setIterations(4).setCheckpointInterval(2)
                        .setAugmentation(AugmentationSpec.newBuilder().setCropSize(32)))
                .addLosses(LossConfig.newBuilder().setName("contrastive"))
                .addSeeds(0)
                .build();
    }

    private static RunSpec run(String experiment, ExperimentSpec spec) {
        return new ExperimentValidator(datasets, ExperimentLimits.DEFAULTS)
                .validate(experiment, spec, Timestamp.getDefaultInstance()).getFirst();
    }

    private static long iteration(RunStore store, RunSpec run) {
        return store.run(run.getRunId()).orElseThrow().getProgress().getIteration();
    }

    private static List<Float> losses(RunStore store, RunSpec run) {
        return RunTrajectory.watch(store, run.getRunId()).losses();
    }

    private static RunTrainer trainer(RunStore store, Path work) {
        return new RunTrainer(datasets, work, new SessionThreads(1, 1), new CheckpointPublisher(producer), store,
                new RunMetrics(new SimpleMeterRegistry()),
                new PublishedCheckpoints(broker.bootstrapServers(), Topics.TRAINING_STATES, Duration.ofSeconds(60)));
    }

    /** The run's manifests on the checkpoints topic (chunks skipped), by iteration. */
    private static List<CheckpointManifest> manifests(String runId, int expected) throws Exception {
        List<CheckpointManifest> manifests = new ArrayList<>();
        CheckpointTopic.read(broker, "pretrained-resume-test", () -> manifests.size() >= expected, r -> {
            CheckpointRecord record = CheckpointRecord.parseFrom(r.value());
            if (record.hasManifest() && record.getManifest().getRunId().equals(runId)) {
                manifests.add(record.getManifest());
            }
        });
        manifests.sort(java.util.Comparator.comparingLong(CheckpointManifest::getIteration));
        return manifests;
    }
}
