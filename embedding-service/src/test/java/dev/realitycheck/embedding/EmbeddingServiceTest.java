package dev.realitycheck.embedding;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.SearchRequest;
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
 * Boots the embedding-service and talks to it the way clients will: HTTP for health and metrics,
 * a plain grpc-java channel to the same (test) port for gRPC.
 */
@QuarkusTest
class EmbeddingServiceTest {

    private static final String SERVICE = "realitycheck.v1.EmbeddingService";

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
        assertStatus(Status.Code.FAILED_PRECONDITION, "no checkpoint has been loaded yet",
                () -> stub().getModel(GetModelRequest.getDefaultInstance()));

        String body = given().when().get("/q/metrics")
                .then().statusCode(200)
                .extract().asString();
        assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge").contains("jvm_threads_live_threads");
        assertThat(body.lines().filter(line -> line.startsWith("grpc_server_processing_duration_seconds_count{")))
                .anySatisfy(line -> assertThat(line).contains("service=\"" + SERVICE + "\"",
                        "method=\"GetModel\"", "statusCode=\"FAILED_PRECONDITION\""));
        assertThat(body).contains("realitycheck_embedding_request_latency_seconds{", "realitycheck_embedding_queue_depth",
                "realitycheck_embedding_models_loaded");
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
    void withoutAModelEveryRpcAnswersAnExplicitStatus() {
        EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub = stub();
        assertStatus(Status.Code.FAILED_PRECONDITION, "no checkpoint has been loaded yet", () -> stub.embed(oneTensor()));
        assertStatus(Status.Code.NOT_FOUND, "checkpoint 'ck-x' is not loaded",
                () -> stub.embed(oneTensor().toBuilder().setCheckpointId("ck-x").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "items is empty", () -> stub.embed(EmbedRequest.getDefaultInstance()));
        assertStatus(Status.Code.NOT_FOUND, "gallery 'default' does not exist",
                () -> stub.search(SearchRequest.newBuilder().setGalleryItemId("a").setK(5).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "k is 0",
                () -> stub.search(SearchRequest.newBuilder().setGalleryItemId("a").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "source is not set",
                () -> stub.addToGallery(AddToGalleryRequest.getDefaultInstance()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "no checkpoint has been loaded yet",
                () -> stub.getModel(GetModelRequest.getDefaultInstance()));
    }

    @Test
    void embedStreamFailsWithFailedPreconditionBeforeAnyModel() {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        StreamObserver<EmbedRequest> requests = EmbeddingServiceGrpc.newStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .embedStream(new StreamObserver<>() {
                    @Override
                    public void onNext(EmbedResponse value) {
                        failure.completeExceptionally(new AssertionError("unexpected response " + value));
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                        failure.completeExceptionally(new AssertionError("stream completed without a status"));
                    }
                });
        requests.onNext(oneTensor());
        requests.onCompleted();

        assertStatus(Status.Code.FAILED_PRECONDITION, "no checkpoint has been loaded yet", () -> {
            throw failure.get(10, TimeUnit.SECONDS);
        });
    }

    private static EmbedRequest oneTensor() {
        return EmbedRequest.newBuilder()
                .addItems(Item.newBuilder().setTensor(DenseTensor.newBuilder().addShape(2).addValues(0.5f).addValues(1f)))
                .build();
    }

    private EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub() {
        return EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
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
