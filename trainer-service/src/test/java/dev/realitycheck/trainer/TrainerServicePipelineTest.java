package dev.realitycheck.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.is;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.UnpackedModel;
import dev.realitycheck.proto.v1.CancelRunRequest;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.Experiment;
import dev.realitycheck.proto.v1.GetExperimentRequest;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentResponse;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.proto.v1.WatchRunRequest;
import dev.realitycheck.testsupport.InjectKafkaBroker;
import dev.realitycheck.transport.AssembledCheckpoint;
import dev.realitycheck.transport.CheckpointAssembler;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The trainer as deployed, through a real broker: an experiment started over gRPC is queued on
 * {@code realitycheck.runs}, consumed by the trainer loop, trained on the tiny dataset's fold-0
 * training classes (2, 3, 4), watched over {@code WatchRun}, and its checkpoints on
 * {@code realitycheck.checkpoints} reassemble ({@link CheckpointAssembler}) and load
 * ({@link SavedModelEmbedder}) with the right manifest. Scoring them is the evaluation-service's
 * (its own pipeline test consumes manifests of this shape); this test does not run it.
 */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
class TrainerServicePipelineTest {

    @InjectKafkaBroker
    LocalKafkaBroker broker;

    @TestHTTPResource
    URL server;

    @ConfigProperty(name = "realitycheck.trainer.datasets.\"tiny\"")
    Path dataset;

    @Test
    void anExperimentStartedOverGrpcTrainsAndItsCheckpointsReachKafkaAndLoad() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        try {
            TrainerServiceGrpc.TrainerServiceBlockingStub stub =
                    TrainerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
            StartExperimentRequest request = StartExperimentRequest.newBuilder().setRequestId("pipeline-1")
                    .setSpec(Specs.tiny("tiny", 20, 10)).build();
            StartExperimentResponse started = stub.startExperiment(request);
            String experimentId = started.getExperimentId();
            String runId = experimentId + ".contrastive.fold0.seed0";
            assertThat(started.getRunsList()).singleElement().satisfies(r -> {
                assertThat(r.getRunId()).isEqualTo(runId);
                assertThat(r.getFoldCount()).isEqualTo(2);
            });

            List<RunProgress> progress = new ArrayList<>();
            stub.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build()).forEachRemaining(progress::add);
            assertThat(progress.getLast().getState()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
            assertThat(progress.getLast().getIteration()).isEqualTo(20);
            assertThat(progress.getLast().getBestValidationMapAtR()).isBetween(0.0, 1.0); // validated at 10 and 20
            assertThat(progress).filteredOn(p -> p.getState() == RunState.RUN_STATE_RUNNING && p.getIteration() > 0)
                    .isNotEmpty().allSatisfy(p -> {
                        assertThat(p.hasLoss()).isTrue();
                        assertThat(p.getImagesPerSecond()).isPositive();
                        assertThat(p.getTotalIterations()).isEqualTo(20);
                    });

            Experiment experiment = stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId(experimentId).build());
            assertThat(experiment.getRunsByStateMap()).isEqualTo(Map.of("RUN_STATE_SUCCEEDED", 1));
            Run run = stub.listRuns(ListRunsRequest.newBuilder().setExperimentId(experimentId).build()).getRuns(0);
            assertThat(run.getLatestCheckpointId()).isEqualTo(runId + ".it20");
            // a retried request names the same experiment and queues nothing more
            assertThat(stub.startExperiment(request).getExperimentId()).isEqualTo(experimentId);

            List<CheckpointManifest> manifests = checkpointsOnKafka(runId);
            assertThat(manifests).extracting(CheckpointManifest::getIteration).containsExactly(10L, 20L);
            assertThat(manifests).allSatisfy(m -> {
                assertThat(m.getExperimentId()).isEqualTo(experimentId);
                assertThat(m.getLossName()).isEqualTo("contrastive");
                assertThat(m.getFold()).isZero();
                assertThat(m.getFoldCount()).isEqualTo(2);
                assertThat(m.getSeed()).isZero();
                assertThat(m.getEmbeddingSize()).isEqualTo(8);
                assertThat(m.getSignature()).isEqualTo("embed");
                assertThat(m.getDataset().getName()).isEqualTo("tiny");
                assertThat(m.getInput().getShapeList()).containsExactly(8L, 8L, 1L);
                assertThat(m.getFrameworkVersionsMap()).containsKeys("tensorflow", "tensorflow-java");
                assertThat(m.getLoss().getHyperparametersMap()).containsOnlyKeys("pos_margin", "neg_margin");
            });

            given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("realitycheck_trainer_iteration{run=\"" + runId + "\"} 20.0",
                    "realitycheck_trainer_loss{run=\"" + runId + "\"}",
                    "realitycheck_trainer_images_per_second{run=\"" + runId + "\"}");

            cancelARunningRun(stub);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A long run is cancelled while it trains: it stops at the next iteration and ends CANCELLED. */
    private static void cancelARunningRun(TrainerServiceGrpc.TrainerServiceBlockingStub stub) {
        StartExperimentResponse started = stub.startExperiment(StartExperimentRequest.newBuilder()
                .setRequestId("pipeline-long").setSpec(Specs.tiny("tiny", 1_000_000, 0)).build());
        String runId = started.getRuns(0).getRunId();
        await().atMost(Duration.ofSeconds(60)).until(() -> stub.listRuns(ListRunsRequest.newBuilder()
                .setExperimentId(started.getExperimentId()).build()).getRuns(0).getProgress().getIteration() > 0);
        assertThat(stub.cancelRun(CancelRunRequest.newBuilder().setRunId(runId).setReason("test").build()).getState())
                .isEqualTo(RunState.RUN_STATE_CANCELLED);
        List<RunProgress> rest = new ArrayList<>();
        stub.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build()).forEachRemaining(rest::add);
        assertThat(rest.getLast().getState()).isEqualTo(RunState.RUN_STATE_CANCELLED);
        // the trainer stopped it: the pod's only trainer thread is free for the next run, which finishes
        StartExperimentResponse next = stub.startExperiment(StartExperimentRequest.newBuilder()
                .setRequestId("pipeline-after-cancel").setSpec(Specs.tiny("tiny", 5, 0)).build());
        List<RunProgress> nextProgress = new ArrayList<>();
        stub.watchRun(WatchRunRequest.newBuilder().setRunId(next.getRuns(0).getRunId()).build())
                .forEachRemaining(nextProgress::add);
        assertThat(nextProgress.getLast().getState()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
        Run cancelled = stub.listRuns(ListRunsRequest.newBuilder().setExperimentId(started.getExperimentId()).build())
                .getRuns(0);
        assertThat(cancelled.getState()).isEqualTo(RunState.RUN_STATE_CANCELLED);
        assertThat(cancelled.getError()).contains("test");
        assertThat(cancelled.getProgress().getIteration()).isLessThan(1_000_000);
    }

    /** Reads the run's checkpoints from the topic, reassembles them and embeds a few images with each. */
    private List<CheckpointManifest> checkpointsOnKafka(String runId) throws Exception {
        LabeledImages images = MnistDirectory.load(dataset, MnistSplit.ALL);
        float[] raw = new float[3 * images.pixelsPerImage()];
        for (int i = 0; i < 3; i++) {
            images.copyImageScaled(i, raw, i * images.pixelsPerImage());
        }
        for (int i = 0; i < raw.length; i++) {
            raw[i] *= 255f; // models take raw pixels and preprocess in the graph
        }
        List<CheckpointManifest> manifests = new ArrayList<>();
        Path work = Files.createTempDirectory("assemble");
        try (CheckpointAssembler assembler = new CheckpointAssembler(work, 1L << 30, 4, Duration.ofMinutes(1), "test",
                Clock.systemUTC())) {
            CheckpointTopic.read(broker, "pipeline-test", () -> manifests.size() >= 2, r -> {
                CheckpointAssembler.Outcome outcome = assembler.accept(r.topic(), r.partition(), r.offset(), r.key(),
                        r.value());
                assertThat(outcome.rejected()).isEmpty();
                for (AssembledCheckpoint c : outcome.completed()) {
                    try (c; UnpackedModel model = SavedModelArchive.unpack(c.packedModel());
                         SavedModelEmbedder embedder = SavedModelEmbedder.load(model.directory())) {
                        if (c.manifest().getRunId().equals(runId)) {
                            float[] e = embedder.embed(raw, 3);
                            assertThat(e).hasSize(3 * 8);
                            double norm = 0;
                            for (int k = 0; k < 8; k++) {
                                norm += e[k] * e[k];
                            }
                            assertThat(norm).isCloseTo(1.0, within(1e-4));
                            manifests.add(c.manifest());
                        }
                    }
                }
            });
        }
        manifests.sort(java.util.Comparator.comparingLong(CheckpointManifest::getIteration));
        return manifests;
    }
}
