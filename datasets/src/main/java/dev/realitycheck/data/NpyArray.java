package dev.realitycheck.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A 1-D or 2-D numeric array as read from, or to be written to, a {@code .npy} file.
 *
 * <p>The data is always row-major (C order), whatever order the file used, with each element's
 * bytes in {@code dtype}'s byte order. The buffer is held read-only and is not copied by the
 * accessors; the typed views ({@link #asFloatMatrix()}, {@link #asLabels()},
 * {@link #asLongLabels()}) return fresh arrays.
 *
 * @param shape {@code (n,)} or {@code (rows, cols)}
 * @param dtype element type
 * @param data  exactly {@code product(shape) * dtype.itemSize()} bytes, row-major
 */
public record NpyArray(long[] shape, NpyDtype dtype, ByteBuffer data) {

    /** Validates rank, shape and data length; keeps a copy of the shape and a read-only view of the data. */
    public NpyArray {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        if (shape.length != 1 && shape.length != 2) {
            throw new IllegalArgumentException("rank must be 1 or 2, got " + shape.length
                    + " (shape " + NpyHeader.shapeString(shape) + ")");
        }
        shape = shape.clone();
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + NpyHeader.shapeString(shape)
                        + " is negative: " + shape[i]);
            }
            if (shape[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + NpyHeader.shapeString(shape)
                        + " is " + shape[i] + ", above the supported maximum " + Integer.MAX_VALUE);
            }
            count = Math.multiplyExact(count, shape[i]);
        }
        long expected = Math.multiplyExact(count, (long) dtype.itemSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("shape " + NpyHeader.shapeString(shape) + " of " + dtype
                    + " needs " + expected + " bytes, data has " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer().order(dtype.byteOrder());
    }

    /**
     * Wraps a row-major float matrix as a {@code '<f4'} array (the floats are copied).
     *
     * @param rows   number of rows
     * @param cols   number of columns
     * @param values {@code rows * cols} values, row-major
     * @return the array
     */
    public static NpyArray ofFloatMatrix(int rows, int cols, float[] values) {
        checkMatrix(rows, cols, values.length);
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new NpyArray(new long[] {rows, cols}, NpyDtype.FLOAT32, bytes);
    }

    /**
     * Wraps labels as a 1-D {@code '<i4'} array (the labels are copied).
     *
     * @param labels the labels
     * @return the array
     */
    public static NpyArray ofLabels(int[] labels) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(labels.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(labels);
        return new NpyArray(new long[] {labels.length}, NpyDtype.INT32, bytes);
    }

    /**
     * Wraps labels as a 1-D {@code '<i8'} array, NumPy's default integer type (the labels are copied).
     *
     * @param labels the labels
     * @return the array
     */
    public static NpyArray ofLabels(long[] labels) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(labels.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(labels);
        return new NpyArray(new long[] {labels.length}, NpyDtype.INT64, bytes);
    }

    static void checkMatrix(int rows, int cols, int length) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("rows and cols must be non-negative, got " + rows + " x " + cols);
        }
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + length);
        }
    }

    /** @return a copy of the shape */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return a read-only view of the row-major data, ordered in {@code dtype}'s byte order */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(dtype.byteOrder());
    }

    /** @return 1 or 2 */
    public int rank() {
        return shape.length;
    }

    /** @return the number of elements */
    public int elementCount() {
        return data.remaining() / dtype.itemSize();
    }

    /** @return the first dimension: the length of a 1-D array, or the number of rows of a 2-D one */
    public int rows() {
        return (int) shape[0];
    }

    /**
     * @return the number of columns of a 2-D array
     * @throws IllegalStateException for a 1-D array
     */
    public int cols() {
        if (shape.length != 2) {
            throw new IllegalStateException("a 1-D array of shape " + NpyHeader.shapeString(shape) + " has no columns");
        }
        return (int) shape[1];
    }

    /**
     * Returns a 2-D float array as a row-major {@code float[rows() * cols()]}; {@code float64}
     * and {@code float16} values are converted to the nearest {@code float}.
     *
     * @return a new array
     * @throws IllegalStateException if the array is not 2-D or not of a float type
     */
    public float[] asFloatMatrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("a float matrix needs a 2-D array, found shape "
                    + NpyHeader.shapeString(shape) + " of " + dtype);
        }
        if (!dtype.isFloat()) {
            throw new IllegalStateException("a float matrix needs a float dtype ('<f4' or '<f8'), found " + dtype
                    + " with shape " + NpyHeader.shapeString(shape));
        }
        float[] out = new float[elementCount()];
        ByteBuffer bytes = data();
        switch (dtype.itemSize()) {
            case 4 -> bytes.asFloatBuffer().get(out);
            case 8 -> {
                DoubleBuffer doubles = bytes.asDoubleBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) doubles.get(i);
                }
            }
            case 2 -> {
                ShortBuffer halves = bytes.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.float16ToFloat(halves.get(i));
                }
            }
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    /**
     * Returns a 1-D integer array as {@code long}s.
     *
     * @return a new array
     * @throws IllegalStateException if the array is not 1-D, not of an integer type, or holds a
     *                               {@code '<u8'} value above {@link Long#MAX_VALUE}
     */
    public long[] asLongLabels() {
        checkLabels();
        long[] out = new long[elementCount()];
        ByteBuffer bytes = data();
        boolean unsigned = dtype.kind() == NpyDtype.Kind.UNSIGNED_INTEGER;
        switch (dtype.itemSize()) {
            case 1 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = unsigned ? Byte.toUnsignedLong(bytes.get(i)) : bytes.get(i);
                }
            }
            case 2 -> {
                ShortBuffer shorts = bytes.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = unsigned ? Short.toUnsignedLong(shorts.get(i)) : shorts.get(i);
                }
            }
            case 4 -> {
                var ints = bytes.asIntBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = unsigned ? Integer.toUnsignedLong(ints.get(i)) : ints.get(i);
                }
            }
            case 8 -> {
                bytes.asLongBuffer().get(out);
                if (unsigned) {
                    for (int i = 0; i < out.length; i++) {
                        if (out[i] < 0) {
                            throw new IllegalStateException("label " + Long.toUnsignedString(out[i]) + " at index " + i
                                    + " does not fit in a signed 64-bit long");
                        }
                    }
                }
            }
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    /**
     * Returns a 1-D integer array as {@code int}s.
     *
     * @return a new array
     * @throws IllegalStateException if the array is not 1-D, not of an integer type, or holds a
     *                               value outside the {@code int} range (the message gives the
     *                               first such value and its index)
     */
    public int[] asLabels() {
        long[] wide = asLongLabels();
        int[] out = new int[wide.length];
        for (int i = 0; i < wide.length; i++) {
            long label = wide[i];
            if (label < Integer.MIN_VALUE || label > Integer.MAX_VALUE) {
                throw new IllegalStateException("label " + label + " at index " + i + " (dtype " + dtype
                        + ") does not fit in an int; use asLongLabels()");
            }
            out[i] = (int) label;
        }
        return out;
    }

    private void checkLabels() {
        if (shape.length != 1) {
            throw new IllegalStateException("labels need a 1-D array, found shape " + NpyHeader.shapeString(shape)
                    + " of " + dtype);
        }
        if (!dtype.isInteger()) {
            throw new IllegalStateException("labels need an integer dtype, found float dtype " + dtype
                    + " with shape " + NpyHeader.shapeString(shape));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && Arrays.equals(shape, other.shape) && dtype.equals(other.dtype)
                && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(shape), dtype, data);
    }

    @Override
    public String toString() {
        return "NpyArray[shape=" + NpyHeader.shapeString(shape) + ", dtype=" + dtype + "]";
    }
}
