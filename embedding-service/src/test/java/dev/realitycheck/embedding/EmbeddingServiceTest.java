package dev.realitycheck.embedding;

import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;

import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.SearchRequest;
import dev.realitycheck.testsupport.ServiceEndpointChecks;
import dev.realitycheck.testsupport.ServiceEndpointChecks.FailingCall;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Boots the embedding-service and talks to it the way clients will: HTTP for health and metrics,
 * a plain grpc-java channel to the same (test) port for gRPC; what every service answers alike
 * is checked by {@link ServiceEndpointChecks}.
 */
@QuarkusTest
class EmbeddingServiceTest {

    @TestHTTPResource
    URL server;

    @AutoClose
    final ServiceEndpointChecks endpoints = new ServiceEndpointChecks("realitycheck.v1.EmbeddingService", () -> server);

    @TestFactory
    Stream<DynamicTest> healthMetricsGrpcHealthAndReflectionAnswerAsForEveryService() {
        return endpoints.dynamicTests(new FailingCall("GetModel", Status.Code.FAILED_PRECONDITION,
                        "no checkpoint has been loaded yet", () -> stub().getModel(GetModelRequest.getDefaultInstance())),
                "realitycheck_embedding_request_latency_seconds{", "realitycheck_embedding_queue_depth",
                "realitycheck_embedding_models_loaded");
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
        StreamObserver<EmbedRequest> requests = EmbeddingServiceGrpc.newStub(endpoints.channel())
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
        return EmbeddingServiceGrpc.newBlockingStub(endpoints.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
