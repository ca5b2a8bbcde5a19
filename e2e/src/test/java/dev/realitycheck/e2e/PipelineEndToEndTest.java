package dev.realitycheck.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.localstack.LocalStack;
import dev.realitycheck.localstack.ServiceProcess;
import dev.realitycheck.localstack.StackService;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.proto.v1.SplitSpec;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentResponse;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.proto.v1.TrainingSettings;
import dev.realitycheck.proto.v1.WatchRunRequest;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three packaged services as deployed, each in its own JVM ({@link LocalStack}), against
 * one real broker: an experiment started over gRPC on the trainer trains a tiny MLP on
 * Fashion-MNIST's classes 0-4 (fold 0 of 2: classes 2-4; validation classes 0-1), its checkpoints
 * go through Kafka to the evaluation service, which scores them on the validation and the
 * held-out test classes (5-9) and publishes the results on {@code realitycheck.evaluations} and in
 * its leaderboard, and the embedding service serves the run's latest checkpoint. At the end every
 * process the local stack started is gone.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PipelineEndToEndTest {

    private static final long ITERATIONS = 40;
    private static final int EMBEDDING_SIZE = 16;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path temp;

    static Path dataset;
    static LocalStack stack;
    static ManagedChannel trainerChannel;
    static ManagedChannel evaluationChannel;
    static ManagedChannel embeddingChannel;

    @BeforeAll
    static void startThePipeline(LocalKafkaBroker kafka) throws Exception {
        dataset = TestDatasets.fashionMnistOrTiny(temp.resolve("fashion-mnist"));
        LocalStack.Builder builder = LocalStack.builder(Path.of(System.getProperty("realitycheck.repository-root", "..")))
                .runDirectory(temp.resolve("run")).bootstrapServers(kafka.bootstrapServers()).freePorts()
                .jvmOption("-Xmx512m").jvmOption("-XX:TieredStopAtLevel=1")
                .property("quarkus.log.level", "INFO")
                .property(StackService.TRAINER, "realitycheck.trainer.intra-op-threads", "1")
                .property(StackService.TRAINER, "realitycheck.trainer.inter-op-threads", "1")
                .startupTimeout(Duration.ofSeconds(150))
                .progress(line -> System.out.println("stack: " + line));
        for (StackService s : StackService.values()) {
            builder.property(s.configPrefix() + ".datasets.\"fashion-mnist\"", dataset.toString());
        }
        stack = builder.build().start();
        trainerChannel = channel(StackService.TRAINER);
        evaluationChannel = channel(StackService.EVALUATION);
        embeddingChannel = channel(StackService.EMBEDDING);
    }

    @AfterAll
    static void stopThePipeline() throws InterruptedException {
        for (ManagedChannel c : new ManagedChannel[] {trainerChannel, evaluationChannel, embeddingChannel}) {
            if (c != null) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        if (stack == null) {
            return;
        }
        List<ProcessHandle> processes = stack.startedProcesses();
        List<ProcessHandle> tree = new ArrayList<>(processes);
        processes.forEach(p -> p.descendants().forEach(tree::add));
        stack.close();
        assertThat(processes).hasSize(StackService.values().length);
        assertThat(tree).as("every process the local stack started is gone").noneMatch(ProcessHandle::isAlive);
        try (var pids = Files.list(stack.runDirectory().pids())) {
            assertThat(pids.toList()).as("pid files left").isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anExperimentStartedOverGrpcIsTrainedScoredOnEverySplitRankedAndServed() throws Exception {
        TrainerServiceGrpc.TrainerServiceBlockingStub trainer = TrainerServiceGrpc.newBlockingStub(trainerChannel);
        StartExperimentResponse started = trainer.withDeadlineAfter(60, TimeUnit.SECONDS)
                .startExperiment(StartExperimentRequest.newBuilder().setRequestId("e2e-1").setSpec(spec()).build());
        assertThat(started.getRunsList()).hasSize(1);
        String experimentId = started.getExperimentId();
        String runId = started.getRuns(0).getRunId();

        List<RunProgress> progress = new ArrayList<>();
        trainer.withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                .watchRun(WatchRunRequest.newBuilder().setRunId(runId).build()).forEachRemaining(progress::add);
        assertThat(progress.getLast().getState()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
        assertThat(progress.getLast().getIteration()).isEqualTo(ITERATIONS);

        Run run = trainer.withDeadlineAfter(30, TimeUnit.SECONDS)
                .listRuns(ListRunsRequest.newBuilder().setExperimentId(experimentId).build()).getRuns(0);
        String latest = run.getLatestCheckpointId();
        assertThat(latest).isEqualTo(runId + ".it" + ITERATIONS);

        // the evaluation service scores the trainer's checkpoint on both splits, on the topic
        Map<String, EvaluationResult> results = evaluationsOf(runId, latest);
        assertThat(results.keySet()).containsExactlyInAnyOrder(latest + "/validation", latest + "/test");
        assertThat(results.values()).allSatisfy(r -> {
            assertThat(r.getError()).isEmpty();
            assertThat(r.getCheckpointId()).isEqualTo(latest);
            assertThat(r.getExperimentId()).isEqualTo(experimentId);
            assertThat(r.getLossName()).isEqualTo("contrastive");
            assertThat(r.getIteration()).isEqualTo(ITERATIONS);
            assertThat(r.getBaseline()).isFalse();
            assertThat(r.getMetrics().getQueryCount()).isPositive();
            assertThat(r.getMetrics().hasMeanAveragePrecisionAtR()).isTrue();
            assertThat(r.getMetrics().getMeanAveragePrecisionAtR()).isBetween(0.0, 1.0).isPositive();
            assertThat(r.getMetrics().hasPrecisionAt1()).isTrue();
            assertThat(r.getMetrics().getPrecisionAt1()).isBetween(0.0, 1.0);
        });
        // validation classes 0-1 of the train half, test classes 5-9: the test split has more queries
        assertThat(results.get(latest + "/test").getMetrics().getQueryCount())
                .isGreaterThan(results.get(latest + "/validation").getMetrics().getQueryCount());

        // ... and ranks the loss over gRPC with the test numbers of the checkpoint validation chose
        EvaluationServiceGrpc.EvaluationServiceBlockingStub evaluation = EvaluationServiceGrpc.newBlockingStub(evaluationChannel);
        LeaderboardEntry row = await().atMost(WAIT).until(() -> contrastiveRow(evaluation.withDeadlineAfter(30, TimeUnit.SECONDS)
                .getLeaderboard(GetLeaderboardRequest.newBuilder().setExperimentId(experimentId).setSplit(Split.SPLIT_TEST)
                        .build())), r -> r != null && r.getRunsEvaluated() == 1);
        assertThat(row.getRunsTotal()).isEqualTo(1);
        assertThat(row.getValue().getN()).isEqualTo(1);
        assertThat(row.getCheckpointIdsList()).singleElement().asString().startsWith(runId + ".it");
        String chosen = row.getCheckpointIds(0);
        assertThat(row.getValue().getMean()).isEqualTo(evaluationsOf(runId, chosen).get(chosen + "/test").getMetrics()
                .getMeanAveragePrecisionAtR());

        // the embedding service (policy latest) serves that checkpoint
        ServiceProcess embeddingService = stack.service(StackService.EMBEDDING);
        await().atMost(WAIT).until(() -> embeddingService.health("/q/health/ready").body(), body -> body.contains(latest));
        EmbedResponse embedded = EmbeddingServiceGrpc.newBlockingStub(embeddingChannel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .embed(EmbedRequest.newBuilder().addItems(firstImage()).build());
        assertThat(embedded.getCheckpointId()).isEqualTo(latest);
        assertThat(embedded.getEmbeddingsList()).singleElement().satisfies(e -> {
            assertThat(e.getValuesList()).hasSize(EMBEDDING_SIZE);
            double norm = e.getValuesList().stream().mapToDouble(v -> v * v).sum();
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        });
    }

    /** One contrastive run on Fashion-MNIST's train half (classes 0-4), fold 0 of 2, seed 0: a tiny MLP. */
    private static ExperimentSpec spec() {
        return ExperimentSpec.newBuilder().setName("e2e")
                .setDataset(DatasetSpec.newBuilder().setName("fashion-mnist").setFormat(DatasetFormat.DATASET_FORMAT_IDX)
                        .setSplit(SplitSpec.newBuilder().setFolds(2).addRunFolds(0)))
                .setSettings(TrainingSettings.newBuilder().setTrunk("mlp").putExtra("mlp_hidden", 32)
                        .setEmbeddingSize(EMBEDDING_SIZE).setBatchSize(8).setMPerClass(4).setIterations(ITERATIONS)
                        .setCheckpointInterval(ITERATIONS / 2))
                .addLosses(LossConfig.newBuilder().setName("contrastive"))
                .addSeeds(0)
                .build();
    }

    private static LeaderboardEntry contrastiveRow(Leaderboard board) {
        return board.getEntriesList().stream().filter(e -> e.getLossName().equals("contrastive")).findFirst().orElse(null);
    }

    /** Reads realitycheck.evaluations from the start until the checkpoint's two results are there; the run's results by id. */
    private static Map<String, EvaluationResult> evaluationsOf(String runId, String checkpointId) {
        Map<String, EvaluationResult> byId = new ConcurrentHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(stack.bootstrapServers(), null, "e2e-test"))) {
            await().atMost(WAIT).until(() -> !consumer.partitionsFor(Topics.EVALUATIONS).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVALUATIONS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    EvaluationResult result = EvaluationResult.parseFrom(r.value());
                    if (result.getRunId().equals(runId)) {
                        byId.put(result.getEvaluationId(), result);
                    }
                }
                return byId.containsKey(checkpointId + "/validation") && byId.containsKey(checkpointId + "/test");
            });
        }
        byId.keySet().removeIf(id -> !id.startsWith(checkpointId + "/"));
        return byId;
    }

    /** The dataset's first image as raw pixels (0..255; the model preprocesses in its graph). */
    private static Item firstImage() throws java.io.IOException {
        LabeledImages images = MnistDirectory.load(dataset, MnistSplit.TEST);
        DenseTensor.Builder t = DenseTensor.newBuilder().addShape(images.height()).addShape(images.width()).addShape(1);
        for (int p = 0; p < images.pixelsPerImage(); p++) {
            t.addValues(images.pixels()[p] & 0xff);
        }
        return Item.newBuilder().setId("first").setTensor(t).build();
    }

    private static ManagedChannel channel(StackService service) {
        return ManagedChannelBuilder.forTarget(stack.service(service).address()).usePlaintext().build();
    }
}
