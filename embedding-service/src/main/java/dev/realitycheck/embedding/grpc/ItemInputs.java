package dev.realitycheck.embedding.grpc;

import com.google.protobuf.ByteString;
import dev.realitycheck.data.Uint8Values;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.InputSpec;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.train.images.InputContract;
import dev.realitycheck.embedding.batching.RequestInputs;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * Turns request items into a model's row-major inputs ({@link #rows}: validated, written later straight
 * into the input tensor; {@link #toInputs}: one array), or an INVALID_ARGUMENT naming the item index and
 * the problem ({@code items[3].tensor.values has 10 values, the model expects 784}).
 *
 * <p>A tensor's shape must equal the model's input shape (no batch dimension); an empty shape is
 * accepted as the flattened input when the number of values fits. Its values come either as
 * {@code values} (repeated float), packed in {@code float32_le} (4 x size bytes, little-endian) or as
 * {@code uint8} (size bytes, each the float 0-255: 8-bit images), exactly one of them. Every value
 * must be finite.
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
        return rows(items, field, shape, input).toArray();
    }

    /**
     * Validates every item now (INVALID_ARGUMENT naming the first bad one) and returns their inputs
     * without copying them: tensors are read from the request's own bytes ({@code uint8},
     * {@code float32_le}) or floats ({@code values}) only when {@link RequestInputs#writeTo} writes them
     * into the batch's input tensor. Encoded images and RGB {@code uint8} tensors of a colour input are
     * decoded here, one array per such item.
     *
     * @param items the items
     * @param field the request field holding them, e.g. {@code items}
     * @param shape the model's input shape without batch dimension
     * @param input the checkpoint manifest's input description (for images)
     * @return {@code items.size() * product(shape)} values, item after item
     */
    public static RequestInputs rows(List<Item> items, String field, List<Integer> shape, InputSpec input) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[][] decoded = null;
        for (int i = 0; i < items.size(); i++) {
            float[] values = check(items.get(i), field, i, shape, input, size);
            if (values != null) {
                if (decoded == null) {
                    decoded = new float[items.size()][];
                }
                decoded[i] = values;
            }
        }
        return new ItemRows(items, size, decoded);
    }

    /**
     * Validates item {@code index} of {@code field}. The item's name ({@code items[3]}) is only built for an
     * error or an image: a batch of 64 tensors builds none.
     *
     * @return the item's values when they had to be decoded (an image, RGB bytes), null for a tensor read later
     */
    private static float[] check(Item item, String field, int index, List<Integer> shape, InputSpec input, int size) {
        switch (item.getInputCase()) {
            case IMAGE -> {
                float[] out = new float[size];
                ImageDecoder.decode(item.getImage(), name(field, index), shape, input, out, 0);
                return out;
            }
            case INPUT_NOT_SET -> throw invalid(name(field, index) + " has no input: set tensor (or image)");
            case TENSOR -> {
                DenseTensor tensor = item.getTensor();
                if (tensor.getShapeCount() > 0 && !sameShape(tensor.getShapeList(), shape)) {
                    throw invalid(name(field, index) + ".tensor.shape is " + tensor.getShapeList() + ", the model expects " + shape);
                }
                checkOneForm(tensor, field, index);
                if (!tensor.getUint8().isEmpty()) {
                    return checkUint8(tensor.getUint8(), field, index, shape, input, size);
                }
                if (!tensor.getFloat32Le().isEmpty()) {
                    checkPacked(tensor.getFloat32Le(), field, index, shape, size);
                    return null;
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
                }
                return null;
            }
            default -> throw invalid(name(field, index) + " has an input kind this server does not know");
        }
    }

    /** Checks the size of {@code tensor.float32_le} (little-endian float32) and that every value is finite. */
    private static void checkPacked(ByteString packed, String field, int index, List<Integer> shape, int size) {
        if (packed.size() != (long) size * Float.BYTES) {
            throw invalid(name(field, index) + ".tensor.float32_le has " + packed.size() + " bytes, the model expects "
                    + (long) size * Float.BYTES + " (4 x " + size + " float32 values, shape " + shape + ")");
        }
        ByteBuffer bytes = packed.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < size; j++) {
            float v = bytes.getFloat(j * Float.BYTES);
            if (!Float.isFinite(v)) {
                throw invalid(name(field, index) + ".tensor.float32_le[" + j + "] is " + v + ": values must be finite");
            }
        }
    }

    /**
     * Checks the size of {@code uint8} (one unsigned byte per value, the float 0-255); for a colour image
     * input {@code [H, W, 3]} the bytes are RGB pixels, put in the contract's colour order
     * ({@link InputContract#pixels}) here.
     *
     * @return the decoded values of an RGB item, null for bytes read later
     */
    private static float[] checkUint8(ByteString bytes, String field, int index, List<Integer> shape, InputSpec input,
                                       int size) {
        if (bytes.size() != size) {
            throw invalid(name(field, index) + ".tensor.uint8 has " + bytes.size() + " bytes, the model expects " + size
                    + " (one per value, shape " + shape + ")");
        }
        if (shape.size() == 3 && shape.get(2) == 3) {
            float[] out = new float[size];
            InputContract.pixels(InputContract.withShape(input, shape))
                    .write(new RgbImage(shape.get(1), shape.get(0), bytes.toByteArray()), out, 0);
            return out;
        }
        return null;
    }

    /**
     * Validated items whose tensors are still the request's bytes: {@link #writeTo} converts the items into
     * the writing thread's reused scratch array and writes it into the target in one bulk copy per
     * {@link #CHUNK_VALUES} values (a batch of 64 28x28 items: one copy, and no array allocated per request).
     * Taking a slice of a TensorFlow buffer costs more than writing 784 values, so it is done once per chunk,
     * not once per item.
     */
    private static final class ItemRows implements RequestInputs {

        /** Most values converted before one bulk write: 256 KB of floats, 64 items of 32x32x3. */
        static final int CHUNK_VALUES = 1 << 16;

        /** Each writing thread's (the batcher's) scratch: the values of a chunk, and one item's bytes. */
        private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

        /** The request's items (a request message's list, or a list built for one call and never changed). */
        private final List<Item> items;
        private final int size;
        /** Per item, its decoded values, or null for a tensor still in the request; null when there are none. */
        private final float[][] decoded;

        ItemRows(List<Item> items, int size, float[][] decoded) {
            this.items = items;
            this.size = size;
            this.decoded = decoded;
        }

        @Override
        public int length() {
            return items.size() * size;
        }

        @Override
        public void writeTo(FloatDataBuffer target) {
            int count = items.size();
            int perChunk = Math.max(1, CHUNK_VALUES / Math.max(1, size));
            Scratch scratch = SCRATCH.get();
            float[] values = scratch.values(Math.multiplyExact(Math.min(perChunk, count), size));
            for (int first = 0; first < count; first += perChunk) {
                int n = Math.min(perChunk, count - first);
                for (int i = 0; i < n; i++) {
                    read(first + i, values, i * size, scratch);
                }
                FloatDataBuffer slice = first == 0 ? target : target.offset((long) first * size);
                slice.write(values, 0, n * size);
            }
        }

        /** Writes item {@code index}'s values into {@code out} from {@code at}. */
        private void read(int index, float[] out, int at, Scratch scratch) {
            if (decoded != null && decoded[index] != null) {
                System.arraycopy(decoded[index], 0, out, at, size);
                return;
            }
            DenseTensor tensor = items.get(index).getTensor();
            if (!tensor.getUint8().isEmpty()) {
                byte[] bytes = scratch.bytes(size);
                tensor.getUint8().copyTo(bytes, 0);
                Uint8Values.toFloats(bytes, 0, out, at, size);
            } else if (!tensor.getFloat32Le().isEmpty()) {
                tensor.getFloat32Le().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, at, size);
            } else {
                for (int j = 0; j < size; j++) {
                    out[at + j] = tensor.getValues(j);
                }
            }
        }
    }

    /** A thread's reused arrays for {@link ItemRows#writeTo}, grown on demand. */
    private static final class Scratch {
        private float[] values = new float[0];
        private byte[] bytes = new byte[0];

        float[] values(int length) {
            if (values.length < length) {
                values = new float[length];
            }
            return values;
        }

        byte[] bytes(int length) {
            if (bytes.length < length) {
                bytes = new byte[length];
            }
            return bytes;
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
