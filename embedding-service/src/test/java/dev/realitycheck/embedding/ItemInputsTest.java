package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EncodedImage;
import dev.realitycheck.proto.v1.InputSpec;
import dev.realitycheck.proto.v1.Item;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Tensor validation and image decoding into model inputs. */
class ItemInputsTest {

    private static final List<Integer> GRAY = List.of(4, 4, 1);
    private static final InputSpec NONE = InputSpec.getDefaultInstance();

    static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    static Item image(byte[] bytes) {
        return Item.newBuilder().setImage(EncodedImage.newBuilder().setData(ByteString.copyFrom(bytes))).build();
    }

    @Test
    void aGrayPngIsResizedToTheInputShapeAsRawPixels() throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.getRaster().setSample(x, y, 0, 200);
            }
        }
        float[] v = ItemInputs.toInputs(List.of(image(encode(img, "png"))), "items", GRAY, NONE);
        assertThat(v).hasSize(16).containsOnly(200f);
    }

    @Test
    void aColourJpegBecomesThreeChannelsAndGrayForOneChannelModels() throws Exception {
        BufferedImage img = new BufferedImage(6, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 6; x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        byte[] jpeg = encode(img, "jpg");
        float[] rgb = ItemInputs.toInputs(List.of(image(jpeg)), "items", List.of(3, 3, 3),
                InputSpec.newBuilder().setColorMode("rgb").setResizeShorterSide(3).build());
        assertThat(rgb).hasSize(27);
        for (float f : rgb) {
            assertThat(f).isBetween(120f, 136f);
        }
        float[] gray = ItemInputs.toInputs(List.of(image(jpeg)), "items", GRAY, NONE);
        assertThat(gray).hasSize(16);
        for (float f : gray) {
            assertThat(f).isBetween(120f, 136f);
        }
    }

    @Test
    void problemsNameTheItem() {
        Item good = Item.newBuilder().setTensor(DenseTensor.newBuilder().addAllValues(java.util.Collections.nCopies(16, 1f)))
                .build();
        assertInvalid("items[1].image could not be decoded as PNG or JPEG",
                () -> ItemInputs.toInputs(List.of(good, image(new byte[] {1, 2, 3})), "items", GRAY, NONE));
        assertInvalid("items[0].image: the model takes inputs of shape [16]",
                () -> ItemInputs.toInputs(List.of(image(new byte[] {1})), "items", List.of(16), NONE));
        assertInvalid("items[0] has no input", () -> ItemInputs.toInputs(List.of(Item.getDefaultInstance()), "items",
                GRAY, NONE));
        assertInvalid("items[1].tensor.values has 0 values, the model expects 16",
                () -> ItemInputs.toInputs(List.of(good, Item.newBuilder().setTensor(DenseTensor.getDefaultInstance())
                        .build()), "items", GRAY, NONE));
        assertThat(ItemInputs.toInputs(List.of(good), "items", GRAY, NONE)).hasSize(16).containsOnly(1f);
    }

    private static void assertInvalid(String message, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }
}
