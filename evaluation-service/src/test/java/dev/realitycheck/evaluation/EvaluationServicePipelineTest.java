package dev.realitycheck.evaluation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.CheckpointSplit;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.GetEvaluationRequest;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.ListEvaluationsRequest;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.proto.v1.WatchEvaluationsRequest;
import dev.realitycheck.testsupport.InjectKafkaBroker;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed: a checkpoint published on Kafka is evaluated by the running service and
 * shows up over gRPC (Watch, Get, List, leaderboard with the baselines), with readiness and metrics
 * (the kNN engine's start-up warm-up among them).
 */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
class EvaluationServicePipelineTest {

    @InjectKafkaBroker
    LocalKafkaBroker broker;

    @TestHTTPResource
    URL server;

    @Test
    void aCheckpointOnKafkaIsServedOverGrpcWithBaselinesBesideIt() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        List<EvaluationResult> watched = new CopyOnWriteArrayList<>();
        try (PipelineFixture fixture = new PipelineFixture(broker.bootstrapServers(), Files.createTempDirectory("pipe"))) {
            EvaluationServiceGrpc.newStub(channel).watchEvaluations(
                    WatchEvaluationsRequest.newBuilder().setExperimentId("exp-1").build(), new StreamObserver<>() {
                        @Override
                        public void onNext(EvaluationResult value) {
                            watched.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            Path packed = fixture.model(Files.createTempDirectory("m"), "m", 5);
            fixture.publish(fixture.manifest("svc-ck", "svc-run", 0), packed);

            await().atMost(Duration.ofSeconds(90)).until(() -> watched.size() >= 2);
            EvaluationServiceGrpc.EvaluationServiceBlockingStub stub =
                    EvaluationServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            EvaluationResult test = stub.getEvaluation(GetEvaluationRequest.newBuilder().setCheckpointSplit(
                    CheckpointSplit.newBuilder().setCheckpointId("svc-ck").setSplit(Split.SPLIT_TEST)).build());
            assertThat(test.getMetrics().hasMeanAveragePrecisionAtR()).isTrue();
            assertThat(watched).extracting(EvaluationResult::getCheckpointId).containsOnly("svc-ck");
            assertThat(stub.listEvaluations(ListEvaluationsRequest.newBuilder().setRunId("svc-run").build())
                    .getEvaluationsList()).hasSize(2);

            Leaderboard board = await().atMost(Duration.ofSeconds(30)).until(() -> stub.getLeaderboard(
                    GetLeaderboardRequest.newBuilder().setExperimentId("exp-1").build()), b -> b.getEntriesCount() >= 3);
            assertThat(board.getEntriesList()).extracting(LeaderboardEntry::getLossName)
                    .contains("contrastive", "raw-pixels", "untrained-mlp");
            assertThat(board.getEntriesList().stream().filter(e -> e.getLossName().equals("contrastive")).findFirst()
                    .orElseThrow().getCheckpointIdsList()).containsExactly("svc-ck");

            given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("realitycheck_evaluation_duration_seconds_count", "realitycheck_evaluation_knn_seconds",
                    "realitycheck_evaluation_consumer_lag", "realitycheck_evaluation_embeddings_total",
                    "realitycheck_evaluation_map_at_r{run=\"svc-run\",split=\"test\"}");
            // the kNN engine was warmed once at start-up (EvaluationLifecycle, realitycheck.evaluation.warm-up)
            await().atMost(Duration.ofSeconds(60)).until(() -> given().when().get("/q/metrics").then().statusCode(200)
                    .extract().asString().contains("realitycheck_evaluation_warm_up_seconds_count 1.0"));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
