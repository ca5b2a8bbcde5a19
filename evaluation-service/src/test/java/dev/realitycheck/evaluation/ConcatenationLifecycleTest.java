package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.evaluation.concatenation.FoldConcatenator;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.ListEvaluationsRequest;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.split.ClassSplit;
import dev.realitycheck.testsupport.InjectKafkaBroker;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The paper's concatenated evaluation through the running service and a real broker: two folds'
 * checkpoints published on Kafka yield one concatenated test evaluation whose metrics equal the
 * concatenation computed here; a better validation of a fold arriving later replaces it.
 */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
class ConcatenationLifecycleTest {

    private static final String EXPERIMENT = "exp-concat";

    @InjectKafkaBroker
    LocalKafkaBroker broker;

    @TestHTTPResource
    URL server;

    private static CheckpointManifest manifest(PipelineFixture fixture, String checkpoint, int fold, long iteration) {
        return fixture.manifest(checkpoint, "concat-run-f" + fold, fold).toBuilder().setExperimentId(EXPERIMENT)
                .setSeed(4).setIteration(iteration)
                .setLoss(LossConfig.newBuilder().setName("contrastive").setLoss("contrastive")
                        .putHyperparameters("pos_margin", 0.1).putHyperparameters("neg_margin", 0.6))
                .build();
    }

    private static Embeddings testEmbeddings(PipelineFixture fixture, Path modelDir, int[] rows) throws Exception {
        float[] raw = HeldOutScorer.rawPixels(fixture.images, rows);
        try (SavedModelEmbedder model = SavedModelEmbedder.load(modelDir, 64)) {
            return new Embeddings(model.embed(raw, rows.length), rows.length, model.embeddingSize());
        }
    }

    @Test
    void foldModelsAreConcatenatedAndABetterValidationLaterReplacesTheConcatenation() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        Path tmp = Files.createTempDirectory("concat");
        try (PipelineFixture fixture = new PipelineFixture(broker.bootstrapServers(), tmp)) {
            EvaluationServiceGrpc.EvaluationServiceBlockingStub stub = EvaluationServiceGrpc.newBlockingStub(channel);
            ClassSplit split = ClassSplit.of(fixture.images.labels(), 2);
            int[] testRows = ClassSplit.select(fixture.images.labels(), split.testClasses());
            int[] testLabels = java.util.Arrays.stream(testRows).map(fixture.images::label).toArray();

            Path a = fixture.model(tmp, "fold0-a", 11);
            Path b = fixture.model(tmp, "fold1-b", 12);
            fixture.publish(manifest(fixture, "concat-a", 0, 100), a);
            fixture.publish(manifest(fixture, "concat-b", 1, 100), b);

            EvaluationResult first = awaitConcatenation(stub, List.of("concat-a", "concat-b"));
            Embeddings joined = FoldConcatenator.concatenateNormalised(List.of(
                    testEmbeddings(fixture, tmp.resolve("fold0-a"), testRows),
                    testEmbeddings(fixture, tmp.resolve("fold1-b"), testRows)));
            double expected = RetrievalEvaluator.standard(KnnDistance.COSINE, PipelineFixture.RECALL_K)
                    .evaluate(RetrievalTask.sameSet(joined, testLabels)).metrics().get("mean_average_precision_at_r");
            assertThat(first.getMetrics().getMeanAveragePrecisionAtR()).isCloseTo(expected, within(1e-6));
            assertThat(first.getRunId()).isEqualTo("concat:" + EXPERIMENT + "/contrastive/4");
            assertThat(first.getLoss().getHyperparametersMap()).containsEntry("pos_margin", 0.1);

            // a later checkpoint of fold 0 that is better on fold 0's VALIDATION classes (found here, deterministically)
            double aValidation = fixture.expected(tmp.resolve("fold0-a"), split.validationClasses(0)).metrics()
                    .get("mean_average_precision_at_r");
            Optional<Long> better = Optional.empty();
            for (long seed = 13; seed < 40 && better.isEmpty(); seed++) {
                fixture.model(tmp, "cand" + seed, seed);
                double v = fixture.expected(tmp.resolve("cand" + seed), split.validationClasses(0)).metrics()
                        .get("mean_average_precision_at_r");
                if (v > aValidation + 1e-9) {
                    better = Optional.of(seed);
                }
            }
            assertThat(better).as("some seed gives a better untrained fold-0 model").isPresent();
            fixture.publish(manifest(fixture, "concat-a2", 0, 200), tmp.resolve("cand" + better.get() + ".zip"));

            EvaluationResult second = awaitConcatenation(stub, List.of("concat-a2", "concat-b"));
            assertThat(second.getEvaluationId()).isEqualTo(first.getEvaluationId());
            List<EvaluationResult> concatenations = stub.listEvaluations(ListEvaluationsRequest.newBuilder()
                    .setExperimentId(EXPERIMENT).setPageSize(1000).build()).getEvaluationsList().stream()
                    .filter(EvaluationResult::getConcatenated).toList();
            assertThat(concatenations).hasSize(1); // replaced, not added

            LeaderboardEntry row = stub.withDeadlineAfter(30, TimeUnit.SECONDS).getLeaderboard(GetLeaderboardRequest
                    .newBuilder().setExperimentId(EXPERIMENT).build()).getEntriesList().stream()
                    .filter(e -> e.getLossName().equals("contrastive")).findFirst().orElseThrow();
            assertThat(row.getConcatenatedValue().getMean())
                    .isCloseTo(second.getMetrics().getMeanAveragePrecisionAtR(), within(1e-12));
            assertThat(row.getConcatenatedEvaluationIdsList()).containsExactly(second.getEvaluationId());
            assertThat(row.getCheckpointIdsList()).containsExactlyInAnyOrder("concat-a2", "concat-b");
            assertThat(row.getLoss().getHyperparametersMap()).containsEntry("neg_margin", 0.6);

            // the live page shows the same row with its concatenated cell and hyperparameters
            String html = io.restassured.RestAssured.given().when().get("/leaderboard/" + EXPERIMENT)
                    .then().statusCode(200).extract().asString();
            assertThat(html).contains("data-loss=\"contrastive\"", "data-loss=\"raw-pixels\"",
                    dev.realitycheck.formats.LeaderboardCells.cell(row.getConcatenatedValue(), ""), "neg_margin=0.6000");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static EvaluationResult awaitConcatenation(EvaluationServiceGrpc.EvaluationServiceBlockingStub stub,
                                                       List<String> sources) {
        List<EvaluationResult> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            found.clear();
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).listEvaluations(ListEvaluationsRequest.newBuilder()
                            .setExperimentId(EXPERIMENT).setPageSize(1000).build()).getEvaluationsList().stream()
                    .filter(r -> r.getConcatenated() && r.getSourceCheckpointIdsList().equals(sources))
                    .forEach(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }
}
