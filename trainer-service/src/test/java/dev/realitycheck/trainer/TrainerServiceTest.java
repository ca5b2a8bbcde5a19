package dev.realitycheck.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.realitycheck.proto.v1.CancelRunRequest;
import dev.realitycheck.proto.v1.GetExperimentRequest;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.proto.v1.WatchRunRequest;
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
 * Boots the trainer-service and talks to it the way clients will: HTTP for health and metrics,
 * a plain grpc-java channel to the same (test) port for gRPC. No broker: the trainer loop is
 * off ({@code %test.realitycheck.trainer.consume-runs=false}), so this covers the API's answers to
 * bad requests; {@link TrainerServicePipelineTest} trains through a real broker.
 */
@QuarkusTest
class TrainerServiceTest {

    private static final String SERVICE = "realitycheck.v1.TrainerService";

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
        assertStatus(Status.Code.NOT_FOUND, "no experiment exp-none",
                () -> stub().getExperiment(GetExperimentRequest.newBuilder().setExperimentId("exp-none").build()));

        String body = given().when().get("/q/metrics")
                .then().statusCode(200)
                .extract().asString();
        assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge").contains("jvm_threads_live_threads");
        assertThat(body.lines().filter(line -> line.startsWith("grpc_server_processing_duration_seconds_count{")))
                .anySatisfy(line -> assertThat(line).contains("service=\"" + SERVICE + "\"",
                        "method=\"GetExperiment\"", "statusCode=\"NOT_FOUND\""));
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
    void badRequestsGetExplicitStatusesNamingTheProblem() {
        TrainerServiceGrpc.TrainerServiceBlockingStub stub = stub();
        assertStatus(Status.Code.INVALID_ARGUMENT, "spec is missing",
                () -> stub.startExperiment(StartExperimentRequest.getDefaultInstance()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "dataset 'nowhere' not found", () -> stub.startExperiment(
                StartExperimentRequest.newBuilder().setSpec(Specs.tiny("nowhere", 10, 5)).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "experiment_id is missing",
                () -> stub.getExperiment(GetExperimentRequest.getDefaultInstance()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "page_token 'x'",
                () -> stub.listRuns(ListRunsRequest.newBuilder().setPageToken("x").build()));
        assertStatus(Status.Code.NOT_FOUND, "no run r-1",
                () -> stub.cancelRun(CancelRunRequest.newBuilder().setRunId("r-1").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "run_id is missing",
                () -> stub.cancelRun(CancelRunRequest.getDefaultInstance()));
    }

    @Test
    void noRunsAreListedBeforeAnyExperiment() {
        assertThat(stub().listRuns(ListRunsRequest.newBuilder().setExperimentId("exp-none").build()).getRunsList())
                .isEmpty();
    }

    @Test
    void watchingAnUnknownRunFailsWithNotFound() {
        assertStatus(Status.Code.NOT_FOUND, "no run r-1",
                () -> stub().watchRun(WatchRunRequest.newBuilder().setRunId("r-1").build()).hasNext());
    }

    private TrainerServiceGrpc.TrainerServiceBlockingStub stub() {
        return TrainerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static void assertStatus(Status.Code code, String description, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description);
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
