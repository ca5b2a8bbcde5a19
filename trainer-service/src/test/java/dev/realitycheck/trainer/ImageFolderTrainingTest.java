package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.images.ImageDatasetFixtures;
import dev.realitycheck.data.images.ImageDatasets;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.CheckpointRecord;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentResponse;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.proto.v1.WatchRunRequest;
import dev.realitycheck.testsupport.InjectKafkaBroker;
import dev.realitycheck.testsupport.ServiceEndpointChecks;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An image-folder experiment through the trainer as deployed (real gRPC, real broker): a generated
 * dataset of JPEG/PNG files of varied sizes under the data root, the small CNN on 16 x 16 RGB crops
 * of it, batches from the image pipeline, validation through the evaluation transform; the
 * checkpoints on {@code realitycheck.checkpoints} carry the dataset's fingerprint and an RGB input.
 * A path outside the data roots is refused naming {@code dataset.path}. A {@code saved_model}
 * extractor (the small CNN exported untrained) trains its embedder on the same folder, validates
 * and publishes checkpoints that take the extractor's 16 x 16 x 3 images.
 */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
class ImageFolderTrainingTest {

    @InjectKafkaBroker
    LocalKafkaBroker broker;

    @TestHTTPResource
    URL server;

    static ExperimentSpec.Builder imageFolder(String path) {
        ExperimentSpec.Builder spec = Specs.tiny("folders", 4, 2);
        spec.setDataset(DatasetSpec.newBuilder().setName("folders").setPath(path)
                .setFormat(DatasetFormat.DATASET_FORMAT_IMAGE_FOLDERS).setSplit(spec.getDataset().getSplit()));
        spec.getSettingsBuilder().setTrunk("small-cnn").setBatchSize(4).setMPerClass(2)
                .getAugmentationBuilder().setCropSize(16);
        return spec;
    }

    @Test
    void anImageFolderExperimentTrainsAndItsCheckpointsNameTheData() throws Exception {
        Path root = ImageDatasetFixtures.imageFolders(Files.createTempDirectory("image-folders"), 8, 4);
        String fingerprint = ImageDatasets.read(root).fingerprint();
        ManagedChannel channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        try {
            TrainerServiceGrpc.TrainerServiceBlockingStub stub =
                    TrainerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
            ServiceEndpointChecks.assertStatus(Status.Code.INVALID_ARGUMENT, "dataset.path", () -> stub.startExperiment(
                    StartExperimentRequest.newBuilder().setSpec(imageFolder("/proc/self")).build()));

            String runId = runsToTheEnd(stub, "image-folder-1", imageFolder(root.toString()));
            List<CheckpointManifest> manifests = manifests(runId);
            assertThat(manifests).extracting(CheckpointManifest::getIteration).containsExactly(2L, 4L);
            assertThat(manifests).allSatisfy(m -> {
                assertThat(m.getDatasetFingerprint()).isEqualTo(fingerprint).isNotEmpty();
                assertThat(m.getInput().getShapeList()).containsExactly(16L, 16L, 3L);
                assertThat(m.getInput().getColorMode()).isEqualTo("rgb");
                assertThat(m.getDataset().getFormat()).isEqualTo(DatasetFormat.DATASET_FORMAT_IMAGE_FOLDERS);
            });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSavedModelFeatureExtractorTrainsOnTheImageFolder() throws Exception {
        Path root = ImageDatasetFixtures.imageFolders(Files.createTempDirectory("image-folders"), 8, 4);
        Path trunk = Files.createTempDirectory("extractor").resolve("cnn");
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.cnn(InputSpec.image(16, 16, 3, Preprocessing.pixels()), 8),
                1, trunk);
        ExperimentSpec.Builder spec = imageFolder(root.toString());
        spec.getSettingsBuilder().setTrunk("saved_model").setTrunkPath(trunk.toString());
        ManagedChannel channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        try {
            TrainerServiceGrpc.TrainerServiceBlockingStub stub =
                    TrainerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
            // validation embeds the held-out images through the chained checkpoint's 16 x 16 x 3 input
            String runId = runsToTheEnd(stub, "image-folder-saved-model", spec);
            assertThat(manifests(runId)).allSatisfy(m -> {
                assertThat(m.getInput().getShapeList()).containsExactly(16L, 16L, 3L);
                assertThat(m.getInput().getScale()).isEqualTo(1f);
                assertThat(m.getEmbeddingSize()).isEqualTo(8);
            });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts the one-run experiment, follows it to its end and checks it succeeded after 4
     * iterations with a validation MAP@R.
     *
     * @return the run's id
     */
    private static String runsToTheEnd(TrainerServiceGrpc.TrainerServiceBlockingStub stub, String requestId,
                                       ExperimentSpec.Builder spec) {
        StartExperimentResponse started = stub.startExperiment(StartExperimentRequest.newBuilder()
                .setRequestId(requestId).setSpec(spec).build());
        String runId = started.getRuns(0).getRunId();
        List<RunProgress> progress = new ArrayList<>();
        stub.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build()).forEachRemaining(progress::add);
        assertThat(progress.getLast().getState()).as("%s", progress.getLast()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
        assertThat(progress.getLast().getIteration()).isEqualTo(4);
        assertThat(progress.getLast().getBestValidationMapAtR()).isBetween(0.0, 1.0);
        return runId;
    }

    /** The run's manifests on the checkpoints topic, by iteration (chunks skipped). */
    private List<CheckpointManifest> manifests(String runId) throws Exception {
        List<CheckpointManifest> manifests = new ArrayList<>();
        CheckpointTopic.read(broker, "image-folder-test-" + runId, () -> manifests.size() >= 2, r -> {
            CheckpointRecord record = CheckpointRecord.parseFrom(r.value());
            if (record.hasManifest() && record.getManifest().getRunId().equals(runId)) {
                manifests.add(record.getManifest());
            }
        });
        manifests.sort(java.util.Comparator.comparingLong(CheckpointManifest::getIteration));
        return manifests;
    }
}
