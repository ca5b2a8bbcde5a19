package dev.realitycheck.evaluation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.GetEvaluationRequest;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.ListEvaluationsRequest;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Boots the evaluation-service and talks to it the way clients will: HTTP for health and metrics,
 * a plain grpc-java channel to the same (test) port for gRPC.
 */
@QuarkusTest
class EvaluationServiceTest {

    private static final String SERVICE = "realitycheck.v1.EvaluationService";

    @TestHTTPResource
    URL server;

    private ManagedChannel channel;

    @BeforeEach
    void openChannel() {
        channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void healthEndpointIsUpAndReportsTheServiceServing() {
        given().when().get("/q/health")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("gRPC Server"))
                .body("checks.find { it.name == 'gRPC Server' }.data.'" + SERVICE + "'", is(true));
    }

    @Test
    void metricsEndpointServesPrometheusTextIncludingGrpcCalls() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "experiment_id",
                () -> stub().getLeaderboard(GetLeaderboardRequest.getDefaultInstance()));

        String body = given().when().get("/q/metrics")
                .then().statusCode(200)
                .extract().asString();
        assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge").contains("jvm_threads_live_threads");
        assertThat(body.lines().filter(line -> line.startsWith("grpc_server_processing_duration_seconds_count{")))
                .anySatisfy(line -> assertThat(line).contains("service=\"" + SERVICE + "\"",
                        "method=\"GetLeaderboard\"", "statusCode=\"INVALID_ARGUMENT\""));
    }

    @Test
    void grpcHealthCheckAnswersServing() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(SERVICE).build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void reflectionListsTheServiceAndResolvesItsProtoFiles() throws Exception {
        List<String> services = reflect(ServerReflectionRequest.newBuilder().setListServices("*").build())
                .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
        assertThat(services).contains(SERVICE, "grpc.health.v1.Health");

        ServerReflectionResponse files = reflect(
                ServerReflectionRequest.newBuilder().setFileContainingSymbol(SERVICE).build());
        assertThat(files.hasErrorResponse()).as("reflection error: %s", files.getErrorResponse()).isFalse();
        assertThat(files.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
    }

    @Test
    void unknownIdsAreNotFoundAndMissingFieldsAreNamed() {
        EvaluationServiceGrpc.EvaluationServiceBlockingStub stub = stub();
        assertStatus(Status.Code.NOT_FOUND, "no evaluation 'e-1'",
                () -> stub.getEvaluation(GetEvaluationRequest.newBuilder().setEvaluationId("e-1").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "one of evaluation_id or checkpoint_split",
                () -> stub.getEvaluation(GetEvaluationRequest.getDefaultInstance()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "experiment_id is required",
                () -> stub.getLeaderboard(GetLeaderboardRequest.getDefaultInstance()));
        assertStatus(Status.Code.NOT_FOUND, "no evaluations of experiment 'nope'",
                () -> stub.getLeaderboard(GetLeaderboardRequest.newBuilder().setExperimentId("nope").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "page_size",
                () -> stub.listEvaluations(ListEvaluationsRequest.newBuilder().setPageSize(5000).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "metric 'accuracy'",
                () -> stub.getLeaderboard(GetLeaderboardRequest.newBuilder().setExperimentId("x").setMetric("accuracy").build()));
    }

    private EvaluationServiceGrpc.EvaluationServiceBlockingStub stub() {
        return EvaluationServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static void assertStatus(Status.Code code, String message, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }

    private ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new AssertionError("reflection stream ended without an answer"));
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        return answer.get(10, TimeUnit.SECONDS);
    }
}
