package dev.realitycheck.embedding.batching;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Embedding vectors in the API's packed form ({@code Embedding.float32_le}): {@code count} rows of
 * {@code width} little-endian float32 values, row-major, from {@code offset} in {@code littleEndian}.
 * A batch's output is packed once into one array ({@link #pack}); each request of the batch gets a view
 * of its rows ({@link #rows}) and each response item a view of its row ({@link #row}), so no vector is
 * copied again before the response is serialized. The array is never written after {@link #pack}.
 *
 * @param littleEndian the packed values (shared by every view of one batch; never written again)
 * @param offset       the byte offset of row 0
 * @param count        the number of rows
 * @param width        the values per row
 */
public record Vectors(byte[] littleEndian, int offset, int count, int width) {

    private static final VarHandle LITTLE_ENDIAN_FLOAT =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    /** Checks that the rows lie inside the array. */
    public Vectors {
        if (offset < 0 || count < 0 || width < 0
                || (long) offset + (long) count * width * Float.BYTES > littleEndian.length) {
            throw new IllegalArgumentException(count + " rows of " + width + " float32 values from byte " + offset
                    + " do not fit " + littleEndian.length + " bytes");
        }
    }

    /**
     * @param values {@code count} rows, row-major
     * @return the rows packed into a new array (one bulk copy)
     */
    public static Vectors pack(float[] values, int count) {
        int width = count == 0 ? 0 : values.length / count;
        if ((long) width * count != values.length) {
            throw new IllegalArgumentException(values.length + " values are not " + count + " rows of equal width");
        }
        return new Vectors(littleEndian(values, 0, values.length), 0, count, width);
    }

    /** @return {@code length} values of {@code values} from {@code offset} as little-endian float32 bytes (one bulk copy) */
    public static byte[] littleEndian(float[] values, int offset, int length) {
        byte[] bytes = new byte[Math.multiplyExact(length, Float.BYTES)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, offset, length);
        return bytes;
    }

    /** @return rows {@code from} to {@code from + n - 1}, sharing this array */
    public Vectors rows(int from, int n) {
        if (from < 0 || n < 0 || from + n > count) {
            throw new IndexOutOfBoundsException("rows " + from + " to " + (from + n) + " of " + count);
        }
        return new Vectors(littleEndian, offset + from * width * Float.BYTES, n, width);
    }

    /** @return value {@code index} of the rows taken as one row-major sequence ({@code row * width + column}) */
    public float value(int index) {
        if (index < 0 || index >= count * width) {
            throw new IndexOutOfBoundsException("value " + index + " of " + count * width);
        }
        return (float) LITTLE_ENDIAN_FLOAT.get(littleEndian, offset + index * Float.BYTES);
    }

    /** @return row {@code i} packed, a view of this array (no copy) */
    public ByteString row(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("row " + i + " of " + count);
        }
        return UnsafeByteOperations.unsafeWrap(littleEndian, offset + i * width * Float.BYTES, width * Float.BYTES);
    }

    /** @return every value, row-major, in a new array */
    public float[] toFloats() {
        float[] values = new float[count * width];
        ByteBuffer.wrap(littleEndian, offset, values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .get(values);
        return values;
    }
}
