package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.realitycheck.embedding.grpc.GrpcMessageLimit;
import dev.realitycheck.embedding.grpc.PackedFloats;
import dev.realitycheck.embedding.serving.ModelRegistry;
import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GalleryItem;
import dev.realitycheck.proto.v1.GalleryItems;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.SearchRequest;
import dev.realitycheck.proto.v1.VectorEncoding;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Embed bounds over a real gRPC server and a real 28x28x1 TensorFlow model, with the default
 * limits (1,024 items, 16 KiB per item): the advertised 1,024 float32 items fit the derived message
 * limit, more items are RESOURCE_EXHAUSTED naming the limit, a message above the derived size is
 * RESOURCE_EXHAUSTED before it is parsed, and inputs of 3e38 are INVALID_ARGUMENT, not a zero vector;
 * and the replica's galleries together hold at most {@code max-replica-gallery-items} (5 here).
 */
@QuarkusTest
@TestProfile(EmbedLimitsTest.Profile.class)
class EmbedLimitsTest {

    /** Its own app instance (it loads a model); the limits are the defaults. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the replica's gallery bound small enough to reach; nothing else here uses galleries
            return Map.of("realitycheck.embedding.micro-batching", "true",
                    "realitycheck.embedding.max-replica-gallery-items", "5");
        }
    }

    private static final int SIDE = 28;
    private static final int INPUT = SIDE * SIDE;
    private static final String CHECKPOINT = "ck-limits";
    private static Path zip;

    @TestHTTPResource
    URL server;

    @Inject
    ModelRegistry registry;

    private ManagedChannel channel;

    @BeforeEach
    void loadModelAndOpenChannel() throws Exception {
        if (zip == null) {
            zip = TestModels.packed(TestModels.tempDir(), CHECKPOINT, 7, SIDE);
            registry.load(TestModels.manifest(CHECKPOINT, 1), zip);
        }
        channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub() {
        return EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static Item item(float value) {
        float[] values = new float[INPUT];
        Arrays.fill(values, value);
        return Item.newBuilder().setTensor(DenseTensor.newBuilder().addAllShape(List.of(28L, 28L, 1L))
                .setFloat32Le(PackedFloats.pack(values, 0, INPUT))).build();
    }

    private static EmbedRequest request(int items, float value) {
        EmbedRequest.Builder b = EmbedRequest.newBuilder().setVectorEncoding(VectorEncoding.VECTOR_ENCODING_FLOAT32_LE);
        Item one = item(value);
        for (int i = 0; i < items; i++) {
            b.addItems(one.toBuilder().setId("i" + i));
        }
        return b.build();
    }

    @Test
    void theAdvertised1024Float32ItemsOf28x28AreAccepted() {
        EmbedRequest request = request(1024, 100);
        assertThat(request.getSerializedSize()).as("far above gRPC's default 256 KiB").isGreaterThan(3_000_000);

        EmbedResponse response = stub().embed(request);

        assertThat(response.getCheckpointId()).isEqualTo(CHECKPOINT);
        assertThat(response.getEmbeddingsCount()).isEqualTo(1024);
        assertThat(response.getEmbeddings(1023).getItemId()).isEqualTo("i1023");
        float[] last = PackedFloats.unpack(response.getEmbeddings(1023).getFloat32Le());
        double norm = 0;
        for (float v : last) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
    }

    private static AddToGalleryRequest add(String gallery, int items, boolean replace) {
        GalleryItems.Builder list = GalleryItems.newBuilder();
        for (int i = 0; i < items; i++) {
            list.addItems(GalleryItem.newBuilder().setItem(item(100 + i).toBuilder().setId(gallery + i)).setLabel(i));
        }
        return AddToGalleryRequest.newBuilder().setGallery(gallery).setItems(list).setReplace(replace).build();
    }

    @Test
    void theReplicasGalleriesTogetherHoldAtMostTheirLimitAndMoreIsResourceExhaustedBeforeAnyWork() {
        assertThat(stub().addToGallery(add("limit-a", 3, false)).getGallerySize()).isEqualTo(3);
        assertThat(stub().addToGallery(add("limit-b", 2, false)).getGallerySize()).isEqualTo(2);
        assertThatThrownBy(() -> stub().addToGallery(add("limit-c", 1, false)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("this replica's galleries hold 5 items; 1 more"
                            + " exceed its limit of 5 (realitycheck.embedding.max-replica-gallery-items)");
                });
        // nothing was added: the refused gallery is empty, the others are as they were
        assertThatThrownBy(() -> stub().search(SearchRequest.newBuilder().setGallery("limit-c").setItem(item(100))
                .setK(1).build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        // replacing a gallery frees its own items first
        assertThat(stub().addToGallery(add("limit-a", 3, true)).getGallerySize()).isEqualTo(3);
        assertThatThrownBy(() -> stub().addToGallery(add("limit-b", 1, false)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void moreItemsThanAdvertisedAreResourceExhaustedNamingTheLimit() {
        assertThatThrownBy(() -> stub().embed(request(1025, 100)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("items has 1025 items, at most 1024 are accepted per request"
                                    + " (realitycheck.embedding.max-request-items)");
                });
    }

    @Test
    void theMessageLimitIsDerivedFromTheItemLimit() {
        long limit = GrpcMessageLimit.maxMessageBytes(1024, 16384);
        assertThat(limit).isEqualTo(1024L * 16384 + 64 * 1024);
        // Just under the derived limit: parsed by the service, which names what is wrong with the item.
        EmbedRequest under = EmbedRequest.newBuilder().addItems(Item.newBuilder().setTensor(DenseTensor.newBuilder()
                .setFloat32Le(ByteString.copyFrom(new byte[(int) limit - 1024])))).build();
        assertThat(under.getSerializedSize()).isLessThan((int) limit);
        assertThatThrownBy(() -> stub().embed(under)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith("items[0].tensor.float32_le has " + (limit - 1024)
                    + " bytes, the model expects 3136");
        });
        // Above it: refused by the gRPC server before parsing.
        EmbedRequest over = EmbedRequest.newBuilder().addItems(Item.newBuilder().setTensor(DenseTensor.newBuilder()
                .setFloat32Le(ByteString.copyFrom(new byte[(int) limit + 1])))).build();
        assertThatThrownBy(() -> stub().embed(over)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void inputsOf3e38AreAnErrorNamingTheItemNotAZeroVector() {
        EmbedRequest request = EmbedRequest.newBuilder().addItems(item(100)).addItems(item(3e38f)).build();

        assertThatThrownBy(() -> stub().embed(request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith("items[1]: the model's output is not a usable vector")
                    .contains("3e38");
        });
        // The same service still embeds ordinary values.
        assertThat(stub().embed(EmbedRequest.newBuilder().addItems(item(100)).build()).getEmbeddingsCount()).isEqualTo(1);
    }
}
