package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.realitycheck.embedding.batching.MicroBatcher;
import dev.realitycheck.embedding.grpc.PackedFloats;
import dev.realitycheck.embedding.serving.ModelLease;
import dev.realitycheck.embedding.serving.ModelRegistry;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.VectorEncoding;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Embed over real gRPC with a real TensorFlow model: the packed ({@code float32_le}) and the repeated
 * float forms give identical vectors in and out, malformed packed tensors are INVALID_ARGUMENT naming
 * the item and the field, and concurrent single-item requests are joined into one TensorFlow call.
 */
@QuarkusTest
@TestProfile(EmbedEncodingsAndBatchingTest.Profile.class)
class EmbedEncodingsAndBatchingTest {

    /** Micro-batching on with greedy batching (the defaults, spelled out) and its own app instance. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("realitycheck.embedding.micro-batching", "true", "realitycheck.embedding.max-wait", "PT0S");
        }
    }

    private static Path zip;

    @TestHTTPResource
    URL server;

    @Inject
    ModelRegistry registry;

    @Inject
    MicroBatcher batcher;

    @Inject
    MeterRegistry meters;

    private ManagedChannel channel;

    @BeforeEach
    void loadModelAndOpenChannel() throws Exception {
        if (zip == null) {
            zip = TestModels.packed(TestModels.tempDir(), "ck-enc", 5);
            registry.load(TestModels.manifest("ck-enc", 1), zip);
        }
        channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub() {
        return EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static Item repeated(float[] values, int item) {
        DenseTensor.Builder t = DenseTensor.newBuilder().addAllShape(List.of(4L, 4L, 1L));
        for (int j = 0; j < TestModels.INPUT; j++) {
            t.addValues(values[item * TestModels.INPUT + j]);
        }
        return Item.newBuilder().setTensor(t).build();
    }

    private static Item packed(float[] values, int item) {
        return Item.newBuilder().setTensor(DenseTensor.newBuilder().addAllShape(List.of(4L, 4L, 1L))
                .setFloat32Le(PackedFloats.pack(values, item * TestModels.INPUT, TestModels.INPUT))).build();
    }

    private static float[] vectors(EmbedResponse response) {
        float[] all = new float[response.getEmbeddingsCount() * TestModels.DIM];
        for (int i = 0; i < response.getEmbeddingsCount(); i++) {
            var e = response.getEmbeddings(i);
            float[] v;
            if (e.getFloat32Le().isEmpty()) {
                v = new float[e.getValuesCount()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = e.getValues(j);
                }
            } else {
                assertThat(e.getValuesCount()).isZero();
                v = PackedFloats.unpack(e.getFloat32Le());
            }
            assertThat(v).hasSize(TestModels.DIM);
            System.arraycopy(v, 0, all, i * TestModels.DIM, TestModels.DIM);
        }
        return all;
    }

    @Test
    void packedAndRepeatedFormsGiveIdenticalVectors() throws Exception {
        int n = 5;
        float[] inputs = TestModels.inputs(n, 21);
        EmbedRequest.Builder asFloats = EmbedRequest.newBuilder();
        EmbedRequest.Builder asBytes = EmbedRequest.newBuilder();
        for (int i = 0; i < n; i++) {
            asFloats.addItems(repeated(inputs, i));
            asBytes.addItems(packed(inputs, i));
        }
        float[] floatsInFloatsOut = vectors(stub().embed(asFloats.build()));
        float[] bytesInFloatsOut = vectors(stub().embed(asBytes.build()));
        EmbedResponse packedOut = stub().embed(asBytes.setVectorEncoding(VectorEncoding.VECTOR_ENCODING_FLOAT32_LE).build());
        float[] bytesInBytesOut = vectors(packedOut);
        float[] floatsInBytesOut = vectors(stub().embed(
                asFloats.setVectorEncoding(VectorEncoding.VECTOR_ENCODING_FLOAT32_LE).build()));

        assertThat(packedOut.getCheckpointId()).isEqualTo("ck-enc");
        assertThat(packedOut.getEmbeddings(0).getFloat32Le().size()).isEqualTo(4 * TestModels.DIM);
        assertThat(bytesInFloatsOut).containsExactly(floatsInFloatsOut);
        assertThat(bytesInBytesOut).containsExactly(floatsInFloatsOut);
        assertThat(floatsInBytesOut).containsExactly(floatsInFloatsOut);
        float[] library = TestModels.expected(zip, inputs, n);
        for (int i = 0; i < library.length; i++) {
            assertThat(floatsInFloatsOut[i]).isCloseTo(library[i], within(1e-5f));
        }
    }

    @Test
    void uint8PixelsGiveTheVectorsOfTheSameValuesAsFloats() throws Exception {
        int n = 4;
        float[] inputs = TestModels.inputs(n, 33); // whole numbers 0-255, as 8-bit pixels are
        EmbedRequest.Builder asFloats = EmbedRequest.newBuilder();
        EmbedRequest.Builder asUint8 = EmbedRequest.newBuilder();
        for (int i = 0; i < n; i++) {
            asFloats.addItems(packed(inputs, i));
            byte[] pixels = new byte[TestModels.INPUT];
            for (int j = 0; j < pixels.length; j++) {
                pixels[j] = (byte) inputs[i * TestModels.INPUT + j];
            }
            asUint8.addItems(Item.newBuilder().setTensor(DenseTensor.newBuilder().addAllShape(List.of(4L, 4L, 1L))
                    .setUint8(ByteString.copyFrom(pixels))));
        }
        EmbedResponse fromUint8 = stub().embed(asUint8.build());
        assertThat(fromUint8.getCheckpointId()).isEqualTo("ck-enc");
        assertThat(vectors(fromUint8)).containsExactly(vectors(stub().embed(asFloats.build())));
        assertInvalid("items[0].tensor.uint8 has 3 bytes, the model expects 16", EmbedRequest.newBuilder()
                .addItems(Item.newBuilder().setTensor(DenseTensor.newBuilder().setUint8(ByteString.copyFrom(new byte[3]))))
                .build());
    }

    @Test
    void malformedPackedTensorsAreInvalidArgumentNamingTheItemAndTheField() {
        float[] inputs = TestModels.inputs(3, 4);
        Item good = packed(inputs, 0);
        Item truncated = Item.newBuilder().setTensor(DenseTensor.newBuilder()
                .setFloat32Le(packed(inputs, 1).getTensor().getFloat32Le().substring(0, 62))).build();
        assertInvalid("items[1].tensor.float32_le has 62 bytes, the model expects 64",
                EmbedRequest.newBuilder().addItems(good).addItems(truncated).build());
        float[] nan = inputs.clone();
        nan[2 * TestModels.INPUT + 7] = Float.NaN;
        assertInvalid("items[2].tensor.float32_le[7] is NaN",
                EmbedRequest.newBuilder().addItems(good).addItems(good).addItems(packed(nan, 2)).build());
        Item both = Item.newBuilder().setTensor(good.getTensor().toBuilder().addValues(1f)).build();
        assertInvalid("items[0].tensor has both values (1) and float32_le (64 bytes)",
                EmbedRequest.newBuilder().addItems(both).build());
        assertInvalid("vector_encoding 9 is not known",
                EmbedRequest.newBuilder().addItems(good).setVectorEncodingValue(9).build());
        Item odd = Item.newBuilder().setTensor(DenseTensor.newBuilder().setFloat32Le(ByteString.copyFrom(new byte[65])))
                .build();
        assertInvalid("items[0].tensor.float32_le has 65 bytes", EmbedRequest.newBuilder().addItems(odd).build());
        // the service is still up and serving
        assertThat(stub().embed(EmbedRequest.newBuilder().addItems(good).build()).getEmbeddingsCount()).isEqualTo(1);
    }

    private void assertInvalid(String description, EmbedRequest request) {
        assertThatThrownBy(() -> stub().embed(request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(description);
        });
    }

    @Test
    void concurrentSingleItemRequestsAreJoinedIntoOneTensorFlowCall() throws Exception {
        int clients = 8;
        float[] inputs = TestModels.inputs(clients, 33);
        float[] expected = TestModels.expected(zip, inputs, clients);
        DistributionSummary batchSizes = meters.find("realitycheck.embedding.batch.size").summary();
        assertThat(batchSizes).isNotNull();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<dev.realitycheck.embedding.batching.Vectors> blocker;
        List<CompletableFuture<EmbedResponse>> calls = new ArrayList<>();
        long batchesBefore;
        double itemsBefore;
        try (ModelLease lease = registry.lease("")) {
            // Occupy the only batch worker with a call held at a gate, so the gRPC requests queue behind it.
            blocker = batcher.submit(lease.model(), (in, count) -> {
                entered.countDown();
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return lease.embed(in, count);
            }, dev.realitycheck.embedding.batching.RequestInputs.of(TestModels.inputs(1, 1)), 1, Context.ROOT);
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            batchesBefore = batchSizes.count();
            itemsBefore = batchSizes.totalAmount();
            EmbeddingServiceGrpc.EmbeddingServiceFutureStub async = EmbeddingServiceGrpc.newFutureStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            for (int i = 0; i < clients; i++) {
                var future = async.embed(EmbedRequest.newBuilder().addItems(packed(inputs, i)).build());
                CompletableFuture<EmbedResponse> call = new CompletableFuture<>();
                future.addListener(() -> {
                    try {
                        call.complete(future.get());
                    } catch (Exception e) {
                        call.completeExceptionally(e);
                    }
                }, Runnable::run);
                calls.add(call);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> batcher.queuedItems() == clients);
            gate.countDown();
            blocker.get(30, TimeUnit.SECONDS);
        } finally {
            gate.countDown();
        }
        for (int i = 0; i < clients; i++) {
            float[] v = vectors(calls.get(i).get(30, TimeUnit.SECONDS));
            for (int j = 0; j < TestModels.DIM; j++) {
                assertThat(v[j]).isCloseTo(expected[i * TestModels.DIM + j], within(1e-5f));
            }
        }
        // the eight single-item requests went to TensorFlow as ONE call of eight items
        assertThat(batchSizes.count() - batchesBefore).isEqualTo(1);
        assertThat(batchSizes.totalAmount() - itemsBefore).isEqualTo(clients);
        assertThat(batchSizes.max()).isGreaterThanOrEqualTo(clients);
    }
}
