package dev.realitycheck.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.images.ImageDatasetFixtures;
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
import dev.realitycheck.localstack.LocalCredentials;
import dev.realitycheck.security.testing.BearerTokens;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three packaged services as deployed, each in its own JVM ({@link LocalStack}), against
 * one real broker: an experiment started over gRPC on the trainer trains a tiny MLP on
 * Fashion-MNIST's classes 0-4 (fold 0 of 2: classes 2-4; validation classes 0-1), its checkpoints
 * go through Kafka to the evaluation service, which scores them on the validation and the
 * held-out test classes (5-9) and publishes the results on {@code realitycheck.evaluations} and in
 * its leaderboard, and the embedding service serves the run's latest checkpoint. Then the client
 * recipes of {@code docs/clients.md} run against that stack: the Python package's tests, the Node
 * (grpc-js) recipe, the kcat script and the Java recipes. At the end every process the local stack
 * started is gone.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {

    private static final long ITERATIONS = 40;
    private static final int EMBEDDING_SIZE = 16;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path temp;

    static Path dataset;
    /** A generated image-folder dataset (8 classes of 4 JPEG/PNG of varied sizes) under the services' data root. */
    static Path folders;
    static LocalStack stack;
    static ManagedChannel trainerChannel;
    static ManagedChannel evaluationChannel;
    static ManagedChannel embeddingChannel;
    /** Set once the pipeline test has seen its checkpoint scored and served; the client tests need it. */
    static volatile String servedExperiment;
    static volatile String servedCheckpoint;

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
        folders = ImageDatasetFixtures.imageFolders(temp.resolve("data").resolve("folders"), 8, 4);
        for (StackService s : StackService.values()) {
            builder.property(s.configPrefix() + ".datasets.\"fashion-mnist\"", dataset.toString());
            builder.property(s.configPrefix() + ".data-roots", temp.resolve("data").toString());
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
    @Order(1)
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
        servedExperiment = experimentId;
        servedCheckpoint = latest;
    }

    @Test
    @Order(2)
    void thePythonClientPackageIsBuiltAndItsTestsPassAgainstTheStack() throws Exception {
        assumeServed();
        Path root = repositoryRoot();
        ClientRecipes.Outcome build = ClientRecipes.run(root, Map.of(), Duration.ofMinutes(2),
                List.of("clients/python/build"));
        assertThat(build.exitCode()).as(build.output()).isZero();
        assumeTrue(!build.output().contains("skipped"), build.output().strip());
        Path wheel;
        try (var files = Files.list(root.resolve("clients/python/target"))) {
            wheel = files.filter(f -> f.getFileName().toString().endsWith(".whl")).findFirst().orElseThrow();
        }
        assumeTrue(ClientRecipes.missing("/usr/bin/python3").isEmpty(), "no /usr/bin/python3: the Python client's tests are skipped");
        ClientRecipes.Outcome pytest = ClientRecipes.run(root, clientEnvironment(Map.of("PYTHONPATH", wheel.toString())),
                Duration.ofMinutes(3), List.of("/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "clients/python/tests"));
        System.out.println("python client: " + pytest.output().strip().lines().reduce((a, b) -> b).orElse(""));
        assumeTrue(!pytest.output().contains("No module named pytest"), "python3-pytest is not installed: the Python client's tests are skipped");
        assertThat(pytest.exitCode()).as(pytest.output()).isZero();
        assertThat(pytest.output()).as("every test ran, none skipped").containsPattern("\\b12 passed\\b").doesNotContain("skipped");
    }

    @Test
    @Order(3)
    void theNodeRecipeRunsAndGrpcJsReadsErrorMessagesExactly() throws Exception {
        assumeServed();
        assumeTrue(ClientRecipes.missing("node", "npm").isEmpty(), "no node/npm on the PATH: the Node recipe is skipped");
        Path node = repositoryRoot().resolve("clients/node");
        if (!Files.isDirectory(node.resolve("node_modules/@grpc/grpc-js"))) {
            ClientRecipes.Outcome install = ClientRecipes.run(node, Map.of(), Duration.ofMinutes(3),
                    List.of("npm", "ci", "--no-audit", "--no-fund"));
            assumeTrue(install.exitCode() == 0, "npm ci could not install @grpc/grpc-js (no registry?): the Node recipe is skipped\n"
                    + install.output());
        }
        ClientRecipes.Outcome test = ClientRecipes.run(node, clientEnvironment(Map.of()), Duration.ofMinutes(3),
                List.of("node", "--test", "recipe.test.js"));
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).as(test.output()).contains("# pass 4", "# fail 0", "# skipped 0");
    }

    @Test
    @Order(4)
    void theKcatScriptDecodesEveryResultWithProtoc() throws Exception {
        assumeServed();
        assumeTrue(ClientRecipes.missing("kcat", "protoc").isEmpty(), "kcat or protoc is missing: the kcat recipe is skipped");
        ClientRecipes.Outcome decoded = ClientRecipes.run(repositoryRoot(), Map.of(), Duration.ofMinutes(2),
                List.of("clients/kcat/decode-evaluations", stack.bootstrapServers()));
        assertThat(decoded.exitCode()).as(decoded.output()).isZero();
        assertThat(decoded.output()).as(decoded.output())
                .contains("evaluation_id: \"" + servedCheckpoint + "/validation\"", "evaluation_id: \"" + servedCheckpoint + "/test\"",
                        "split: SPLIT_VALIDATION", "mean_average_precision_at_r: ")
                .doesNotContain("Failed to parse");
    }

    @Test
    @Order(5)
    void theJavaRecipesEmbedSearchAndFollowTheTopic() throws Exception {
        assumeServed();
        EmbeddingServiceGrpc.newBlockingStub(embeddingChannel).withDeadlineAfter(120, TimeUnit.SECONDS)
                .addToGallery(dev.realitycheck.proto.v1.AddToGalleryRequest.newBuilder().setGallery("fmnist-test").setReplace(true)
                        .setDatasetSplit(dev.realitycheck.proto.v1.DatasetSplitSource.newBuilder()
                                .setDataset(DatasetSpec.newBuilder().setName("fashion-mnist")).setSplit(Split.SPLIT_TEST))
                        .build());
        float[] pixels = new float[28 * 28];
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        JavaClientRecipe.embedAndSearch("dns:///" + stack.service(StackService.EMBEDDING).address(),
                token(LocalCredentials.READER_TOKEN), pixels,
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList()).hasSize(6)
                .last().asString().isEqualTo("checkpoint " + servedCheckpoint + ", " + EMBEDDING_SIZE + " dimensions");

        java.io.ByteArrayOutputStream followed = new java.io.ByteArrayOutputStream();
        Thread consumer = new Thread(() -> {
            try {
                JavaClientRecipe.followEvaluations(stack.bootstrapServers(),
                        new java.io.PrintStream(followed, true, java.nio.charset.StandardCharsets.UTF_8));
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // the test stops it
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "java-recipe-consumer");
        consumer.start();
        try {
            String line = servedCheckpoint.substring(0, servedCheckpoint.lastIndexOf(".it")) + " contrastive fold 0 seed 0 it " + ITERATIONS
                    + ": MAP@R ";
            await().atMost(WAIT).until(() -> followed.toString(java.nio.charset.StandardCharsets.UTF_8), out -> out.contains(line));
        } finally {
            consumer.interrupt();
            consumer.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(consumer.isAlive()).as("the recipe's loop ends when its thread is interrupted").isFalse();
    }

    /**
     * An image-folder experiment through the whole pipeline from a weight file (issue 16): the spec
     * names a BN-Inception safetensors file (the paper's trunk, in the published names, generated here
     * under the data root),
     * the trainer fine-tunes it on 32 x 32 RGB crops of the generated JPEG/PNG files and its manifest
     * names the file's SHA-256 (the same run resumed on another pod: {@code PretrainedTrunkResumeTest}
     * in trainer-service), the evaluation service streams the held-out
     * classes' images through the checkpoint's input contract and publishes both splits' results,
     * and the embedding service (policy latest) answers a JPEG of another size with that checkpoint.
     * Last, so that the client recipes above run against the Fashion-MNIST checkpoint.
     */
    @Test
    @Order(100)
    void anImageFolderExperimentIsTrainedScoredAndItsCheckpointEmbedsAJpeg() throws Exception {
        TrainerServiceGrpc.TrainerServiceBlockingStub trainer = TrainerServiceGrpc.newBlockingStub(trainerChannel);
        Path weights = Files.createDirectories(temp.resolve("data").resolve("weights")).resolve("bn_inception.safetensors");
        dev.realitycheck.model.SafetensorsFile.write(weights, dev.realitycheck.model.PretrainedWeights.toTensors(
                dev.realitycheck.model.Weights.initial(new dev.realitycheck.model.BnInceptionArchitecture(
                        dev.realitycheck.model.InputSpec.image(32, 32, 3, dev.realitycheck.model.Preprocessing.none()),
                        8, true), 77)));
        ExperimentSpec spec = ExperimentSpec.newBuilder().setName("e2e-images")
                .setDataset(DatasetSpec.newBuilder().setName("folders").setPath(folders.toString())
                        .setFormat(DatasetFormat.DATASET_FORMAT_IMAGE_FOLDERS)
                        .setSplit(SplitSpec.newBuilder().setFolds(2).addRunFolds(0)))
                .setSettings(TrainingSettings.newBuilder().setTrunk("bn-inception").setPretrainedWeights(weights.toString())
                        .setEmbeddingSize(8).setBatchSize(4).setMPerClass(2).setIterations(2).setCheckpointInterval(2)
                        .setAugmentation(dev.realitycheck.proto.v1.AugmentationSpec.newBuilder().setCropSize(32)))
                .addLosses(LossConfig.newBuilder().setName("contrastive"))
                .addSeeds(0)
                .build();
        StartExperimentResponse started = trainer.withDeadlineAfter(60, TimeUnit.SECONDS)
                .startExperiment(StartExperimentRequest.newBuilder().setRequestId("e2e-images").setSpec(spec).build());
        String runId = started.getRuns(0).getRunId();
        List<RunProgress> progress = new ArrayList<>();
        trainer.withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                .watchRun(WatchRunRequest.newBuilder().setRunId(runId).build()).forEachRemaining(progress::add);
        assertThat(progress.getLast().getState()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
        String latest = trainer.withDeadlineAfter(30, TimeUnit.SECONDS)
                .listRuns(ListRunsRequest.newBuilder().setExperimentId(started.getExperimentId()).build()).getRuns(0)
                .getLatestCheckpointId();

        // 8 classes: test classes 4-7 (16 images), fold 0 of 2 validates on 2 of the train classes (8 images)
        Map<String, EvaluationResult> results = evaluationsOf(runId, latest);
        assertThat(results.values()).allSatisfy(r -> {
            assertThat(r.getError()).isEmpty();
            assertThat(r.getMetrics().getMeanAveragePrecisionAtR()).isBetween(0.0, 1.0).isPositive();
        });
        assertThat(results.get(latest + "/test").getMetrics().getQueryCount()).isEqualTo(16);
        assertThat(results.get(latest + "/validation").getMetrics().getQueryCount()).isEqualTo(8);

        ServiceProcess embeddingService = stack.service(StackService.EMBEDDING);
        await().atMost(WAIT).until(() -> embeddingService.health("/q/health/ready").body(), body -> body.contains(latest));
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        assertThat(javax.imageio.ImageIO.write(ImageDatasetFixtures.picture(3, 0, 50, 37), "jpg", jpeg)).isTrue();
        EmbedResponse embedded = EmbeddingServiceGrpc.newBlockingStub(embeddingChannel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .embed(EmbedRequest.newBuilder().setCheckpointId(latest).addItems(Item.newBuilder().setImage(
                        dev.realitycheck.proto.v1.EncodedImage.newBuilder().setMediaType("image/jpeg")
                                .setData(com.google.protobuf.ByteString.copyFrom(jpeg.toByteArray())))).build());
        assertThat(embedded.getCheckpointId()).isEqualTo(latest);
        var served = EmbeddingServiceGrpc.newBlockingStub(embeddingChannel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getModel(dev.realitycheck.proto.v1.GetModelRequest.newBuilder().setCheckpointId(latest).build());
        assertThat(served.getManifest().getPretrainedWeightsSha256()).as("the served checkpoint names its starting weights")
                .isEqualTo(dev.realitycheck.transport.CheckpointPublisher.sha256(weights));
        assertThat(served.getManifest().getInput().getShapeList()).containsExactly(32L, 32L, 3L);
        assertThat(embedded.getEmbeddingsList()).singleElement().satisfies(e -> {
            assertThat(e.getValuesList()).hasSize(8);
            double norm = 0;
            for (float v : e.getValuesList()) {
                norm += v * v;
            }
            assertThat(Math.sqrt(norm)).as("an L2-normalised embedding").isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
        });
    }

    private static void assumeServed() {
        assumeTrue(servedCheckpoint != null, "the pipeline test did not get a checkpoint served; nothing to run the clients against");
    }

    /** The addresses of this stack, as the client tests under clients/ read them, and {@code extra}. */
    private static Map<String, String> clientEnvironment(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("REALITYCHECK_EMBEDDING", stack.service(StackService.EMBEDDING).address());
        env.put("REALITYCHECK_EVALUATION", stack.service(StackService.EVALUATION).address());
        env.put("REALITYCHECK_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("REALITYCHECK_EXPERIMENT", servedExperiment);
        env.put("REALITYCHECK_CHECKPOINT", servedCheckpoint);
        env.put("REALITYCHECK_TOKEN", token(LocalCredentials.OPERATOR_TOKEN)); // the clients add to galleries
        return env;
    }

    private static Path repositoryRoot() {
        return Path.of(System.getProperty("realitycheck.repository-root", "..")).toAbsolutePath().normalize();
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
        // security is on, as in every local stack: the operator token it made (LocalCredentials)
        return ManagedChannelBuilder.forTarget(stack.service(service).address()).usePlaintext()
                .intercept(BearerTokens.bearer(token(LocalCredentials.OPERATOR_TOKEN))).build();
    }

    private static String token(String file) {
        try {
            return Files.readString(stack.runDirectory().root().resolve(file)).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
