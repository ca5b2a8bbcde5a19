package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.realitycheck.data.images.ImageDecoder;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.embedding.serving.ModelLease;
import dev.realitycheck.embedding.serving.ModelRegistry;
import dev.realitycheck.model.Architecture;
import dev.realitycheck.model.BnInceptionArchitecture;
import dev.realitycheck.model.CnnArchitecture;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.ResNetArchitecture;
import dev.realitycheck.model.ResNetVariant;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.EncodedImage;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.train.images.EvaluationTransform;
import dev.realitycheck.train.images.InputContract;
import dev.realitycheck.train.images.Normalisation;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A JPEG of any size embedded over real gRPC by a colour CNN whose manifest carries an image
 * dataset's contract (resize shorter side, centre crop, Pillow bilinear) gives the vector the
 * library computes in process (decode, {@link EvaluationTransform}, raw pixels,
 * {@code SavedModelEmbedder}): the evaluation service's path. A raw RGB {@code uint8} tensor of the
 * model's size gives the same vector as the JPEG it was transformed from. The same holds for a
 * ResNet-18 and a BN-Inception checkpoint (issue 16: the pretrained trunks are served under their
 * input contract).
 */
@QuarkusTest
@TestProfile(EmbedJpegContractTest.Profile.class)
class EmbedJpegContractTest {

    /**
     * Its own app instance: the registry holds only this test's model. TensorFlow calls take at most
     * two 32x32x3 images' float inputs ({@code model-batch-input-bytes}), so the configured budget is
     * seen to reach the loaded models.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("realitycheck.embedding.max-wait", "PT0S",
                    "realitycheck.embedding.model-batch-input-bytes", String.valueOf(2 * 32 * 32 * 3 * Float.BYTES));
        }
    }

    private static final InputSpec INPUT = InputSpec.image(32, 32, 3, Preprocessing.imagenet());
    private static final int DIM = 16;

    @TestHTTPResource
    URL server;

    @Inject
    ModelRegistry registry;

    /** A 50 x 37 photograph-like JPEG: smooth gradients and a sharp edge, so resizing matters. */
    private static byte[] jpeg() throws Exception {
        BufferedImage img = new BufferedImage(50, 37, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 37; y++) {
            for (int x = 0; x < 50; x++) {
                int r = x * 5;
                int g = y * 6;
                int b = x > 25 ? 220 : 30;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "jpg", out)).isTrue();
        return out.toByteArray();
    }

    private static float[] served(ManagedChannel channel, String checkpointId, Item item) {
        var response = EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .embed(EmbedRequest.newBuilder().setCheckpointId(checkpointId).addItems(item).build());
        assertThat(response.getCheckpointId()).isEqualTo(checkpointId);
        float[] v = new float[response.getEmbeddings(0).getValuesCount()];
        for (int j = 0; j < v.length; j++) {
            v[j] = response.getEmbeddings(0).getValues(j);
        }
        return v;
    }

    @Test
    void aJpegIsEmbeddedExactlyAsTheLibraryEmbedsIt() throws Exception {
        assertServedAsTheLibraryEmbeds("ck-jpeg", new CnnArchitecture(INPUT, 4, 8, DIM), 1e-6f);
    }

    /**
     * The same for a ResNet-18 (32x32, torchvision's ImageNet normalisation inside the exported
     * graph): the trunk a pretrained run exports is served under the contract its manifest carries.
     */
    @Test
    void aResNet18CheckpointEmbedsAJpegExactlyAsTheLibraryEmbedsIt() throws Exception {
        ResNetArchitecture resnet = ResNetArchitecture.of(ResNetVariant.RESNET18, 32, 32, DIM);
        assertThat(resnet.spec().input()).isEqualTo(INPUT);
        assertServedAsTheLibraryEmbeds("ck-resnet18", resnet, 1e-5f);
    }

    /**
     * The same for the paper's BN-Inception at its smallest input, 32x32 (raw 0..255 pixels; its
     * BGR mean subtraction is part of the trunk): the network every paper spec names is served under
     * its contract.
     */
    @Test
    void aBnInceptionCheckpointEmbedsAJpegExactlyAsTheLibraryEmbedsIt() throws Exception {
        BnInceptionArchitecture bnInception =
                new BnInceptionArchitecture(InputSpec.image(32, 32, 3, Preprocessing.none()), DIM, true);
        assertServedAsTheLibraryEmbeds("ck-bn-inception", bnInception, 1e-5f);
    }

    private void assertServedAsTheLibraryEmbeds(String checkpointId, Architecture network, float tolerance)
            throws Exception {
        Path tmp = TestModels.tempDir();
        EmbeddingNetworks.exportUntrained(network, 3, tmp.resolve("model"));
        Path zip = tmp.resolve("model.zip");
        SavedModelArchive.pack(tmp.resolve("model"), zip);
        InputSpec input = network.spec().input();
        registry.load(TestModels.manifest(checkpointId, 1).toBuilder()
                .setInput(InputContract.toProto(input, true)).setEmbeddingSize(DIM).build(), zip);
        try (ModelLease lease = registry.lease(checkpointId)) {
            assertThat(lease.model().embedder().batchSize()).as("items per TensorFlow call under the budget").isEqualTo(2);
        }
        byte[] jpeg = jpeg();
        RgbImage transformed = EvaluationTransform.forInput(input)
                .apply(ImageDecoder.decode(jpeg, "test.jpg").image(), new SplittableRandom(0));
        float[] pixels = new float[input.size()];
        Normalisation.rawPixels(input).write(transformed, pixels, 0);
        float[] library = TestModels.expected(zip, pixels, 1);

        ManagedChannel channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        float[] viaJpeg;
        float[] viaRgb;
        try {
            viaJpeg = served(channel, checkpointId, Item.newBuilder().setImage(EncodedImage.newBuilder()
                    .setData(ByteString.copyFrom(jpeg)).setMediaType("image/jpeg")).build());
            viaRgb = served(channel, checkpointId, Item.newBuilder().setTensor(DenseTensor.newBuilder()
                    .addAllShape(List.of(32L, 32L, 3L)).setUint8(ByteString.copyFrom(transformed.rgb()))).build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        assertThat(library).hasSize(DIM);
        assertThat(viaJpeg).hasSize(DIM);
        for (int j = 0; j < DIM; j++) {
            assertThat(viaJpeg[j]).as("component %d", j).isCloseTo(library[j], within(tolerance));
        }
        assertThat(viaRgb).containsExactly(viaJpeg);
    }
}
