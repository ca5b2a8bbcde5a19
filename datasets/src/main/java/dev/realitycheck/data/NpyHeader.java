package dev.realitycheck.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a {@code .npy} header says: element type, memory order and shape.
 *
 * <p>{@link #parse(String)} reads the Python dict literal NumPy writes, e.g.
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }}; {@link #toBytes()} writes
 * the whole header block (magic, version, length, padded dict) byte for byte as
 * {@code numpy.save} does.
 *
 * @param dtype        element type
 * @param fortranOrder whether the data is stored column-major (Fortran order)
 * @param shape        dimensions, each non-negative; any rank, including 0
 */
public record NpyHeader(NpyDtype dtype, boolean fortranOrder, long[] shape) {

    /** The six magic bytes every {@code .npy} file starts with: {@code \x93NUMPY}. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the start of the data to this many bytes. */
    static final int ALIGNMENT = 64;
    /** Spare spaces NumPy leaves after the dict so the growing axis can be rewritten in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** Validates the components and copies the shape. */
    public NpyHeader {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        shape = shape.clone();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + shapeString(shape)
                        + " is negative: " + shape[i]);
            }
        }
    }

    /**
     * Parses the header dict of a {@code .npy} file.
     *
     * @param dict the Python dict literal, with any trailing padding
     * @return the header
     * @throws IllegalArgumentException naming what is malformed or unsupported
     */
    public static NpyHeader parse(String dict) {
        Object literal;
        try {
            literal = PythonLiteral.parse(dict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed header dict: " + e.getMessage() + " in " + quote(dict), e);
        }
        if (!(literal instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("header is not a dict: " + quote(dict));
        }
        Set<String> keys = new TreeSet<>();
        for (Object key : map.keySet()) {
            keys.add(String.valueOf(key));
        }
        if (!keys.equals(KEYS)) {
            Set<String> missing = new TreeSet<>(KEYS);
            missing.removeAll(keys);
            Set<String> extra = new TreeSet<>(keys);
            extra.removeAll(KEYS);
            StringBuilder sb = new StringBuilder("header dict must have exactly the keys 'descr', 'fortran_order', 'shape'");
            if (!missing.isEmpty()) {
                sb.append("; missing ").append(quoteAll(missing));
            }
            if (!extra.isEmpty()) {
                sb.append("; unexpected ").append(quoteAll(extra));
            }
            throw new IllegalArgumentException(sb.append(": ").append(quote(dict)).toString());
        }
        return new NpyHeader(descr(map.get("descr")), fortranOrder(map.get("fortran_order")), shape(map.get("shape")));
    }

    private static NpyDtype descr(Object descr) {
        if (descr instanceof List<?> fields) {
            throw new IllegalArgumentException("unsupported dtype: structured arrays (descr is a list of "
                    + fields.size() + " fields) are not supported; save a plain numeric array");
        }
        if (!(descr instanceof String s)) {
            throw new IllegalArgumentException("'descr' must be a string such as '<f4', found " + descr);
        }
        return NpyDtype.parse(s);
    }

    private static boolean fortranOrder(Object value) {
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("'fortran_order' must be True or False, found " + value);
        }
        return b;
    }

    private static long[] shape(Object value) {
        if (!(value instanceof PythonLiteral.Tuple tuple)) {
            throw new IllegalArgumentException("'shape' must be a tuple of non-negative integers, found " + value);
        }
        long[] shape = new long[tuple.items().size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(tuple.items().get(i) instanceof Long dim) || dim < 0) {
                throw new IllegalArgumentException("'shape' must be a tuple of non-negative integers, found "
                        + tuple.items());
            }
            shape[i] = dim;
        }
        return shape;
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /** @return a copy of the shape */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * @return the number of elements, the product of the shape
     * @throws ArithmeticException if that overflows a {@code long}
     */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /**
     * @return the number of data bytes that follow the header
     * @throws ArithmeticException if that overflows a {@code long}
     */
    public long dataBytes() {
        return Math.multiplyExact(elementCount(), (long) dtype.itemSize());
    }

    /** @return the dict literal as NumPy writes it, without padding */
    public String toDictLiteral() {
        return "{'descr': '" + dtype.descr() + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + shapeString(shape) + ", }";
    }

    /**
     * Encodes the complete header block exactly as {@code numpy.save} does: magic, version 1.0
     * (2.0 if the dict would not fit in 65,535 bytes), little-endian length, the dict, spare
     * spaces for growth, and space padding up to a multiple of 64 bytes ending in {@code '\n'}.
     *
     * @return the bytes that precede the data
     */
    public byte[] toBytes() {
        String dict = toDictLiteral();
        if (shape.length > 0) {
            long growing = fortranOrder ? shape[shape.length - 1] : shape[0];
            dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(growing).length());
        }
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        int version = 1;
        int lengthBytes = 2;
        int prefix = MAGIC.length + 2 + lengthBytes;
        int padded = padToAlignment(prefix, text.length);
        if (padded > 0xFFFF) {
            version = 2;
            lengthBytes = 4;
            prefix = MAGIC.length + 2 + lengthBytes;
            padded = padToAlignment(prefix, text.length);
        }
        ByteBuffer out = ByteBuffer.allocate(prefix + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) version).put((byte) 0);
        if (lengthBytes == 2) {
            out.putShort((short) padded);
        } else {
            out.putInt(padded);
        }
        out.put(text);
        while (out.position() < out.capacity() - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /** Length of the dict plus its space padding and final newline, so that prefix + it is aligned. */
    private static int padToAlignment(int prefix, int dictLength) {
        int withNewline = dictLength + 1;
        int pad = ALIGNMENT - (prefix + withNewline) % ALIGNMENT;
        return withNewline + pad;
    }

    /** @return the shape as a Python tuple: {@code ()}, {@code (5,)} or {@code (3, 2)} */
    static String shapeString(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String quote(String dict) {
        String trimmed = dict.strip();
        return trimmed.length() <= 200 ? trimmed : trimmed.substring(0, 200) + "...";
    }

    private static String quoteAll(Set<String> keys) {
        return keys.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader other && dtype.equals(other.dtype) && fortranOrder == other.fortranOrder
                && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, fortranOrder, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return toDictLiteral();
    }
}
