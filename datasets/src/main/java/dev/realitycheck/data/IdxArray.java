package dev.realitycheck.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The contents of one IDX file: element type, dimensions and row-major big-endian data.
 *
 * <p>MNIST-family image files are {@code UNSIGNED_BYTE} arrays of dimensions
 * {@code [count, rows, cols]}; label files are {@code UNSIGNED_BYTE} arrays of dimensions
 * {@code [count]}. The data is held read-only and is not copied by {@link #data()}; the typed
 * views return fresh arrays.
 *
 * @param type element type
 * @param dims dimensions, at least one, each non-negative
 * @param data exactly {@code product(dims) * type.itemSize()} bytes, row-major, big-endian
 */
public record IdxArray(IdxType type, int[] dims, ByteBuffer data) {

    /** Validates rank, dimensions and data length; keeps a copy of the dimensions and a read-only view of the data. */
    public IdxArray {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(data, "data");
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException("rank must be 1 to 255, got " + dims.length);
        }
        dims = dims.clone();
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of " + dimsString(dims) + " is negative: " + dims[i]);
            }
            count = Math.multiplyExact(count, dims[i]);
        }
        long expected = Math.multiplyExact(count, (long) type.itemSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("dimensions " + dimsString(dims) + " of " + type.describe() + " need "
                    + expected + " bytes, data has " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
    }

    /**
     * Wraps unsigned bytes, e.g. images of dimensions {@code [count, rows, cols]} (the bytes are copied).
     *
     * @param dims   dimensions
     * @param values {@code product(dims)} bytes, row-major; read as unsigned
     * @return the array
     */
    public static IdxArray ofUnsignedBytes(int[] dims, byte[] values) {
        return new IdxArray(IdxType.UNSIGNED_BYTE, dims, ByteBuffer.wrap(values.clone()));
    }

    /**
     * Wraps labels 0..255 as a 1-D unsigned-byte array, the MNIST label format.
     *
     * @param labels the labels
     * @return the array
     * @throws IllegalArgumentException naming the first label outside 0..255 and its index
     */
    public static IdxArray ofUnsignedByteLabels(int[] labels) {
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i
                        + " does not fit in an unsigned byte (0..255)");
            }
            bytes[i] = (byte) labels[i];
        }
        return new IdxArray(IdxType.UNSIGNED_BYTE, new int[] {labels.length}, ByteBuffer.wrap(bytes));
    }

    /** @return a copy of the dimensions */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** @return a read-only big-endian view of the data */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /** @return the number of dimensions */
    public int rank() {
        return dims.length;
    }

    /**
     * @param index which dimension
     * @return its size
     */
    public int dim(int index) {
        return dims[index];
    }

    /** @return the first dimension: the number of images or labels */
    public int count() {
        return dims[0];
    }

    /** @return the number of elements per item: the product of all dimensions but the first */
    public int elementsPerItem() {
        int n = 1;
        for (int i = 1; i < dims.length; i++) {
            n = Math.multiplyExact(n, dims[i]);
        }
        return n;
    }

    /** @return the total number of elements */
    public int elementCount() {
        return data.remaining() / type.itemSize();
    }

    /**
     * @return the raw bytes of a byte-typed array, row-major; unsigned values are recovered with
     *         {@code b & 0xFF}
     * @throws IllegalStateException if the type is not a byte type
     */
    public byte[] asBytes() {
        if (type.itemSize() != 1) {
            throw new IllegalStateException("raw bytes need an unsigned or signed byte array, found "
                    + type.describe() + " with dimensions " + dimsString(dims));
        }
        byte[] out = new byte[elementCount()];
        data().get(out);
        return out;
    }

    /**
     * @return every element as an {@code int}, row-major (unsigned bytes give 0..255)
     * @throws IllegalStateException if the type is {@code FLOAT} or {@code DOUBLE}
     */
    public int[] asInts() {
        if (!type.isInteger()) {
            throw new IllegalStateException("integers need an integer IDX type, found " + type.describe()
                    + " with dimensions " + dimsString(dims));
        }
        int[] out = new int[elementCount()];
        ByteBuffer bytes = data();
        switch (type) {
            case UNSIGNED_BYTE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Byte.toUnsignedInt(bytes.get(i));
                }
            }
            case SIGNED_BYTE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes.get(i);
                }
            }
            case SHORT -> {
                var shorts = bytes.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = shorts.get(i);
                }
            }
            case INT -> bytes.asIntBuffer().get(out);
            default -> throw new AssertionError(type);
        }
        return out;
    }

    /** @return every element as a {@code float}, row-major, unscaled (unsigned bytes give 0..255) */
    public float[] asFloats() {
        float[] out = new float[elementCount()];
        ByteBuffer bytes = data();
        switch (type) {
            case FLOAT -> bytes.asFloatBuffer().get(out);
            case DOUBLE -> {
                var doubles = bytes.asDoubleBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) doubles.get(i);
                }
            }
            case UNSIGNED_BYTE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Byte.toUnsignedInt(bytes.get(i));
                }
            }
            case SIGNED_BYTE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes.get(i);
                }
            }
            case SHORT -> {
                var shorts = bytes.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = shorts.get(i);
                }
            }
            case INT -> {
                var ints = bytes.asIntBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = ints.get(i);
                }
            }
        }
        return out;
    }

    static String dimsString(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(" x ", "[", "]"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray other && type == other.type && Arrays.equals(dims, other.dims)
                && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(dims), data);
    }

    @Override
    public String toString() {
        return "IdxArray[type=" + type.describe() + ", dims=" + dimsString(dims) + "]";
    }
}
