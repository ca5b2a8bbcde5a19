package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.realitycheck.embedding.grpc.ItemInputs;
import dev.realitycheck.embedding.grpc.PackedFloats;
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
        assertInvalid("items[1].image could not be decoded as PNG or JPEG: items[1].image: not an image",
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

    @Test
    void packedAndRepeatedTensorsGiveTheSameInputs() {
        float[] values = TestModels.inputs(3, 11);
        values[5] = -0.0f;
        values[6] = 1e-30f;
        values[7] = Float.MAX_VALUE;
        List<Item> repeated = new java.util.ArrayList<>();
        List<Item> packed = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DenseTensor.Builder r = DenseTensor.newBuilder().addAllShape(List.of(4L, 4L, 1L));
            for (int j = 0; j < 16; j++) {
                r.addValues(values[i * 16 + j]);
            }
            repeated.add(Item.newBuilder().setTensor(r).build());
            packed.add(Item.newBuilder().setTensor(DenseTensor.newBuilder()
                    .setFloat32Le(PackedFloats.pack(values, i * 16, 16))).build());
        }
        float[] fromRepeated = ItemInputs.toInputs(repeated, "items", GRAY, NONE);
        float[] fromPacked = ItemInputs.toInputs(packed, "items", GRAY, NONE);
        assertThat(fromPacked).containsExactly(values);
        assertThat(fromRepeated).containsExactly(fromPacked);
    }

    @Test
    void requestsWrittenStraightIntoANativeTensorEqualTheirArrays() throws Exception {
        float[] values = TestModels.inputs(3, 5);
        byte[] pixels = new byte[16];
        for (int j = 0; j < 16; j++) {
            pixels[j] = (byte) (j * 17); // 0..255, the top half negative as Java bytes
        }
        DenseTensor.Builder repeated = DenseTensor.newBuilder();
        for (int j = 0; j < 16; j++) {
            repeated.addValues(values[32 + j]);
        }
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(1, 2, 0, 200);
        List<Item> first = List.of(Item.newBuilder().setTensor(DenseTensor.newBuilder().setUint8(ByteString.copyFrom(pixels))).build(),
                Item.newBuilder().setTensor(DenseTensor.newBuilder().setFloat32Le(PackedFloats.pack(values, 16, 16))).build());
        List<Item> second = List.of(Item.newBuilder().setTensor(repeated).build(), image(encode(img, "png")));
        var batch = new dev.realitycheck.embedding.batching.MicroBatcher.Inputs(List.of(
                ItemInputs.rows(first, "items", GRAY, NONE), ItemInputs.rows(second, "items", GRAY, NONE)), 64);
        float[] written = new float[64];
        try (var tensor = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(4, 4, 4, 1))) {
            batch.writeTo(tensor.asRawTensor().data().asFloats());
            tensor.asRawTensor().data().asFloats().read(written);
        }
        float[] expected = new float[64];
        System.arraycopy(ItemInputs.toInputs(first, "items", GRAY, NONE), 0, expected, 0, 32);
        System.arraycopy(ItemInputs.toInputs(second, "items", GRAY, NONE), 0, expected, 32, 32);
        assertThat(written).containsExactly(expected);
        assertThat(written[15]).isEqualTo(255f);
        assertThat(java.util.Arrays.copyOfRange(written, 16, 48)).containsExactly(java.util.Arrays.copyOfRange(values, 16, 48));
        assertThat(written[48 + 2 * 4 + 1]).isEqualTo(200f);
    }

    @Test
    void aRequestLargerThanOneScratchChunkIsWrittenWhole() throws Exception {
        // 28x28 items: 83 fit one 65,536-value chunk, so 200 items take three bulk writes into the tensor
        List<Integer> shape = List.of(28, 28, 1);
        int size = 784;
        int count = 200;
        float[] expected = new float[count * size];
        List<Item> items = new java.util.ArrayList<>();
        java.util.Random random = new java.util.Random(17);
        for (int i = 0; i < count; i++) {
            byte[] pixels = new byte[size];
            random.nextBytes(pixels);
            for (int j = 0; j < size; j++) {
                expected[i * size + j] = pixels[j] & 0xFF;
            }
            items.add(Item.newBuilder().setTensor(DenseTensor.newBuilder().setUint8(ByteString.copyFrom(pixels))).build());
        }
        float[] written = new float[count * size];
        try (var tensor = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(count, 28, 28, 1))) {
            ItemInputs.rows(items, "items", shape, NONE).writeTo(tensor.asRawTensor().data().asFloats());
            tensor.asRawTensor().data().asFloats().read(written);
        }
        assertThat(written).containsExactly(expected);
    }

    @Test
    void malformedPackedTensorsNameTheItemAndTheField() {
        Item good = Item.newBuilder().setTensor(DenseTensor.newBuilder().setFloat32Le(PackedFloats.pack(new float[16], 0, 16)))
                .build();
        Item shortBytes = Item.newBuilder().setTensor(DenseTensor.newBuilder()
                .setFloat32Le(ByteString.copyFrom(new byte[63]))).build();
        assertInvalid("items[1].tensor.float32_le has 63 bytes, the model expects 64 (4 x 16 float32 values, shape [4, 4, 1])",
                () -> ItemInputs.toInputs(List.of(good, shortBytes), "items", GRAY, NONE));
        float[] bad = new float[16];
        bad[9] = Float.NaN;
        float[] infinite = new float[16];
        infinite[15] = Float.NEGATIVE_INFINITY;
        assertInvalid("items[2].tensor.float32_le[9] is NaN: values must be finite",
                () -> ItemInputs.toInputs(List.of(good, good, packed(bad)), "items", GRAY, NONE));
        assertInvalid("items.items[0].tensor.float32_le[15] is -Infinity",
                () -> ItemInputs.toInputs(List.of(packed(infinite)), "items.items", GRAY, NONE));
        Item both = Item.newBuilder().setTensor(good.getTensor().toBuilder().addValues(1f)).build();
        assertInvalid("items[0].tensor has both values (1) and float32_le (64 bytes): set only one",
                () -> ItemInputs.toInputs(List.of(both), "items", GRAY, NONE));
        Item wrongShape = Item.newBuilder().setTensor(good.getTensor().toBuilder().addAllShape(List.of(16L))).build();
        assertInvalid("items[0].tensor.shape is [16], the model expects [4, 4, 1]",
                () -> ItemInputs.toInputs(List.of(wrongShape), "items", GRAY, NONE));
    }

    @Test
    void uint8TensorsAreTheirBytesAsPixelValues() {
        byte[] pixels = new byte[32];
        float[] expected = new float[32];
        for (int j = 0; j < pixels.length; j++) {
            pixels[j] = (byte) (j * 37 + 3);
            expected[j] = (j * 37 + 3) & 0xFF;
        }
        List<Item> items = List.of(uint8(java.util.Arrays.copyOfRange(pixels, 0, 16), List.of(4L, 4L, 1L)),
                uint8(java.util.Arrays.copyOfRange(pixels, 16, 32), List.of()));
        float[] inputs = ItemInputs.toInputs(items, "items", GRAY, NONE);
        assertThat(inputs).containsExactly(expected);
        assertThat(inputs[4]).as("bytes above 127 are not negative").isEqualTo(151f);
    }

    @Test
    void malformedUint8TensorsNameTheItemAndTheField() {
        Item good = uint8(new byte[16], List.of());
        assertInvalid("items[1].tensor.uint8 has 15 bytes, the model expects 16 (one per value, shape [4, 4, 1])",
                () -> ItemInputs.toInputs(List.of(good, uint8(new byte[15], List.of())), "items", GRAY, NONE));
        Item withFloats = Item.newBuilder().setTensor(good.getTensor().toBuilder()
                .setFloat32Le(PackedFloats.pack(new float[16], 0, 16))).build();
        assertInvalid("items[0].tensor has both float32_le (64 bytes) and uint8 (16 bytes): set only one",
                () -> ItemInputs.toInputs(List.of(withFloats), "items", GRAY, NONE));
        Item allThree = Item.newBuilder().setTensor(withFloats.getTensor().toBuilder().addValues(1f)).build();
        assertInvalid("items[0].tensor has all of values (1) and float32_le (64 bytes) and uint8 (16 bytes)",
                () -> ItemInputs.toInputs(List.of(allThree), "items", GRAY, NONE));
        assertInvalid("items[0].tensor.shape is [16], the model expects [4, 4, 1]",
                () -> ItemInputs.toInputs(List.of(uint8(new byte[16], List.of(16L))), "items", GRAY, NONE));
    }

    private static Item uint8(byte[] pixels, List<Long> shape) {
        return Item.newBuilder().setTensor(DenseTensor.newBuilder().addAllShape(shape)
                .setUint8(ByteString.copyFrom(pixels))).build();
    }

    @Test
    void nonFiniteRepeatedValuesNameTheItem() {
        float[] bad = new float[16];
        bad[3] = Float.POSITIVE_INFINITY;
        DenseTensor.Builder t = DenseTensor.newBuilder();
        for (float v : bad) {
            t.addValues(v);
        }
        assertInvalid("items[0].tensor.values[3] is Infinity: values must be finite",
                () -> ItemInputs.toInputs(List.of(Item.newBuilder().setTensor(t).build()), "items", GRAY, NONE));
    }

    private static Item packed(float[] values) {
        return Item.newBuilder().setTensor(DenseTensor.newBuilder().setFloat32Le(PackedFloats.pack(values, 0, values.length)))
                .build();
    }

    private static void assertInvalid(String message, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }
}
