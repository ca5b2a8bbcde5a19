package dev.realitycheck.embedding.grpc;

import com.google.protobuf.ByteString;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.InputSpec;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.train.images.InputContract;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Turns request items into one row-major input array for a model, or an INVALID_ARGUMENT naming
 * the item index and the problem ({@code items[3].tensor.values has 10 values, the model expects 784}).
 *
 * <p>A tensor's shape must equal the model's input shape (no batch dimension); an empty shape is
 * accepted as the flattened input when the number of values fits. Its values come either as
 * {@code values} (repeated float), packed in {@code float32_le} (4 x size bytes, little-endian,
 * copied in bulk) or as {@code uint8} (size bytes, each the float 0-255: 8-bit images), exactly one of
 * them. Every value must be finite.
 * Encoded images (PNG/JPEG) are decoded and sized as the manifest says ({@link ImageDecoder}); a
 * {@code uint8} tensor of a colour image input is RGB pixels, reordered to the contract's colour order.
 */
public final class ItemInputs {

    private ItemInputs() {
    }

    /**
     * Checks the batch size: at least one item (else INVALID_ARGUMENT), at most {@code maxItems} (else
     * RESOURCE_EXHAUSTED naming the limit and its setting).
     *
     * @param field the request field, e.g. {@code items}
     */
    public static void checkCount(int count, int maxItems, String field) {
        if (count == 0) {
            throw invalid(field + " is empty: at least one item is needed");
        }
        if (count > maxItems) {
            throw Status.RESOURCE_EXHAUSTED.withDescription(field + " has " + count + " items, at most " + maxItems
                    + " are accepted per request (realitycheck.embedding.max-request-items)").asRuntimeException();
        }
    }

    /**
     * @param items      the items
     * @param field      the request field holding them, e.g. {@code items} or {@code items.items}
     * @param shape      the model's input shape without batch dimension
     * @param input      the checkpoint manifest's input description (for images)
     * @return {@code items.size() * product(shape)} values, item after item
     */
    public static float[] toInputs(List<Item> items, String field, List<Integer> shape, InputSpec input) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[] inputs = new float[items.size() * size];
        for (int i = 0; i < items.size(); i++) {
            copy(items.get(i), field, i, shape, input, size, inputs, i * size);
        }
        return inputs;
    }

    /**
     * Validates item {@code index} of {@code field} and copies its values to {@code out} at {@code offset}. The
     * item's name ({@code items[3]}) is only built for an error or an image: a batch of 64 tensors builds none.
     */
    static void copy(Item item, String field, int index, List<Integer> shape, InputSpec input, int size, float[] out,
                     int offset) {
        switch (item.getInputCase()) {
            case IMAGE -> ImageDecoder.decode(item.getImage(), name(field, index), shape, input, out, offset);
            case INPUT_NOT_SET -> throw invalid(name(field, index) + " has no input: set tensor (or image)");
            case TENSOR -> {
                DenseTensor tensor = item.getTensor();
                if (tensor.getShapeCount() > 0 && !sameShape(tensor.getShapeList(), shape)) {
                    throw invalid(name(field, index) + ".tensor.shape is " + tensor.getShapeList() + ", the model expects " + shape);
                }
                checkOneForm(tensor, field, index);
                if (!tensor.getUint8().isEmpty()) {
                    copyUint8(tensor.getUint8(), field, index, shape, input, size, out, offset);
                    return;
                }
                if (!tensor.getFloat32Le().isEmpty()) {
                    copyPacked(tensor.getFloat32Le(), field, index, shape, size, out, offset);
                    return;
                }
                if (tensor.getValuesCount() != size) {
                    throw invalid(name(field, index) + ".tensor.values has " + tensor.getValuesCount() + " values, the model expects "
                            + size + " (shape " + shape + ")");
                }
                for (int j = 0; j < size; j++) {
                    float v = tensor.getValues(j);
                    if (!Float.isFinite(v)) {
                        throw invalid(name(field, index) + ".tensor.values[" + j + "] is " + v + ": values must be finite");
                    }
                    out[offset + j] = v;
                }
            }
            default -> throw invalid(name(field, index) + " has an input kind this server does not know");
        }
    }

    /**
     * Copies {@code tensor.float32_le} (little-endian float32) into {@code out} with one bulk copy, then
     * checks that every value is finite.
     */
    private static void copyPacked(ByteString packed, String field, int index, List<Integer> shape, int size,
                                   float[] out, int offset) {
        if (packed.size() != (long) size * Float.BYTES) {
            throw invalid(name(field, index) + ".tensor.float32_le has " + packed.size() + " bytes, the model expects "
                    + (long) size * Float.BYTES + " (4 x " + size + " float32 values, shape " + shape + ")");
        }
        packed.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, offset, size);
        for (int j = 0; j < size; j++) {
            float v = out[offset + j];
            if (!Float.isFinite(v)) {
                throw invalid(name(field, index) + ".tensor.float32_le[" + j + "] is " + v + ": values must be finite");
            }
        }
    }

    /**
     * Copies {@code uint8} (one unsigned byte per value) into {@code out} as floats 0-255; for a colour
     * image input {@code [H, W, 3]} the bytes are RGB pixels, put in the contract's colour order
     * ({@link InputContract#pixels}).
     */
    private static void copyUint8(ByteString bytes, String field, int index, List<Integer> shape, InputSpec input,
                                  int size, float[] out, int offset) {
        if (bytes.size() != size) {
            throw invalid(name(field, index) + ".tensor.uint8 has " + bytes.size() + " bytes, the model expects " + size
                    + " (one per value, shape " + shape + ")");
        }
        if (shape.size() == 3 && shape.get(2) == 3) {
            InputContract.pixels(InputContract.withShape(input, shape))
                    .write(new RgbImage(shape.get(1), shape.get(0), bytes.toByteArray()), out, offset);
            return;
        }
        java.nio.ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
        for (int j = 0; j < size; j++) {
            out[offset + j] = buffer.get(j) & 0xFF;
        }
    }

    /** Refuses a tensor with its values in more than one of the forms, naming the forms and their sizes. */
    private static void checkOneForm(DenseTensor tensor, String field, int index) {
        boolean values = tensor.getValuesCount() > 0;
        boolean float32 = !tensor.getFloat32Le().isEmpty();
        boolean uint8 = !tensor.getUint8().isEmpty();
        if ((values ? 1 : 0) + (float32 ? 1 : 0) + (uint8 ? 1 : 0) <= 1) {
            return; // the hot path: nothing allocated per item
        }
        List<String> set = new java.util.ArrayList<>(3);
        if (values) {
            set.add("values (" + tensor.getValuesCount() + ")");
        }
        if (float32) {
            set.add("float32_le (" + tensor.getFloat32Le().size() + " bytes)");
        }
        if (uint8) {
            set.add("uint8 (" + tensor.getUint8().size() + " bytes)");
        }
        throw invalid(name(field, index) + ".tensor has " + (set.size() == 2 ? "both " : "all of ") + String.join(" and ", set)
                + ": set only one");
    }

    private static boolean sameShape(List<Long> given, List<Integer> expected) {
        if (given.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) != expected.get(i).longValue()) {
                return false;
            }
        }
        return true;
    }

    /** @return the name of item {@code index} of {@code field}, e.g. {@code items[3]} */
    private static String name(String field, int index) {
        return field + "[" + index + "]";
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
