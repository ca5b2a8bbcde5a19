package dev.realitycheck.data;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The element type of a {@code .npy} array, as NumPy spells it in the header's {@code descr}:
 * a byte-order character, a kind and an item size, e.g. {@code '<f4'} or {@code '|u1'}.
 *
 * <p>Supported: floats of 2, 4 or 8 bytes and signed or unsigned integers of 1, 2, 4 or 8 bytes,
 * in either byte order. For 1-byte types the byte order is meaningless and is normalised to
 * little-endian, so {@code '|u1'} and {@code '<u1'} are equal.
 *
 * @param kind      float, signed or unsigned integer
 * @param itemSize  bytes per element
 * @param byteOrder order of the bytes of one element in the file
 */
public record NpyDtype(Kind kind, int itemSize, ByteOrder byteOrder) {

    /** The numeric kinds this library reads. */
    public enum Kind {
        /** IEEE 754 binary floating point ({@code 'f'}). */
        FLOAT('f'),
        /** Two's complement signed integer ({@code 'i'}). */
        SIGNED_INTEGER('i'),
        /** Unsigned integer ({@code 'u'}). */
        UNSIGNED_INTEGER('u');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        /** @return NumPy's kind character */
        public char code() {
            return code;
        }
    }

    /** {@code '<f4'}: the usual embedding type. */
    public static final NpyDtype FLOAT32 = new NpyDtype(Kind.FLOAT, 4, ByteOrder.LITTLE_ENDIAN);
    /** {@code '<f8'}. */
    public static final NpyDtype FLOAT64 = new NpyDtype(Kind.FLOAT, 8, ByteOrder.LITTLE_ENDIAN);
    /** {@code '<i4'}. */
    public static final NpyDtype INT32 = new NpyDtype(Kind.SIGNED_INTEGER, 4, ByteOrder.LITTLE_ENDIAN);
    /** {@code '<i8'}: NumPy's default integer type on Linux. */
    public static final NpyDtype INT64 = new NpyDtype(Kind.SIGNED_INTEGER, 8, ByteOrder.LITTLE_ENDIAN);

    private static final String SUPPORTED =
            "supported: floats '<f2', '<f4', '<f8' and integers '|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8', '<u8'"
                    + " ('>' for big-endian)";

    /** Validates kind and size, and normalises the byte order of 1-byte types. */
    public NpyDtype {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(byteOrder, "byteOrder");
        boolean sizeOk = switch (kind) {
            case FLOAT -> itemSize == 2 || itemSize == 4 || itemSize == 8;
            case SIGNED_INTEGER, UNSIGNED_INTEGER -> itemSize == 1 || itemSize == 2 || itemSize == 4 || itemSize == 8;
        };
        if (!sizeOk) {
            throw new IllegalArgumentException("unsupported item size " + itemSize + " for " + kind
                    + " (floats: 2, 4 or 8 bytes; integers: 1, 2, 4 or 8 bytes)");
        }
        if (itemSize == 1) {
            byteOrder = ByteOrder.LITTLE_ENDIAN;
        }
    }

    /**
     * Parses a NumPy type descriptor such as {@code '<f4'}, {@code '>i8'} or {@code '|u1'}
     * ({@code '='} means the machine's order; a missing order character is read as {@code '='}).
     *
     * @param descr the descriptor, without quotes
     * @return the type
     * @throws IllegalArgumentException naming the descriptor and why it is not supported
     */
    public static NpyDtype parse(String descr) {
        Objects.requireNonNull(descr, "descr");
        String body = descr;
        ByteOrder order = ByteOrder.nativeOrder();
        boolean notApplicable = false;
        if (!body.isEmpty()) {
            switch (body.charAt(0)) {
                case '<' -> order = ByteOrder.LITTLE_ENDIAN;
                case '>' -> order = ByteOrder.BIG_ENDIAN;
                case '|' -> notApplicable = true;
                case '=' -> order = ByteOrder.nativeOrder();
                default -> body = "=" + body;
            }
            body = body.substring(1);
        }
        if (body.isEmpty()) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "': no type code; " + SUPPORTED);
        }
        char code = body.charAt(0);
        String digits = body.substring(1);
        Kind kind = switch (code) {
            case 'f' -> Kind.FLOAT;
            case 'i' -> Kind.SIGNED_INTEGER;
            case 'u' -> Kind.UNSIGNED_INTEGER;
            default -> throw new IllegalArgumentException(
                    "unsupported dtype '" + descr + "'" + describeUnsupportedKind(code) + "; " + SUPPORTED);
        };
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 2) {
            throw new IllegalArgumentException(
                    "unsupported dtype '" + descr + "': item size '" + digits + "' is not a byte count; " + SUPPORTED);
        }
        int size = Integer.parseInt(digits);
        if (notApplicable && size != 1) {
            throw new IllegalArgumentException("unsupported dtype '" + descr
                    + "': byte order '|' is only valid for 1-byte types; " + SUPPORTED);
        }
        try {
            return new NpyDtype(kind, size, order);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "': " + e.getMessage(), e);
        }
    }

    private static String describeUnsupportedKind(char code) {
        return switch (code) {
            case 'c' -> " (complex numbers)";
            case 'O' -> " (object array: Python objects stored as a pickle)";
            case 'b', '?' -> " (booleans)";
            case 'U' -> " (unicode strings)";
            case 'S', 'a' -> " (byte strings)";
            case 'V' -> " (raw void records)";
            case 'M' -> " (datetimes)";
            case 'm' -> " (timedeltas)";
            default -> " (unknown type code '" + code + "')";
        };
    }

    /** @return the descriptor NumPy writes for this type, e.g. {@code "<f4"} or {@code "|u1"} */
    public String descr() {
        char order = itemSize == 1 ? '|' : byteOrder == ByteOrder.LITTLE_ENDIAN ? '<' : '>';
        return "" + order + kind.code() + itemSize;
    }

    /** @return whether this is a floating-point type */
    public boolean isFloat() {
        return kind == Kind.FLOAT;
    }

    /** @return whether this is a signed or unsigned integer type */
    public boolean isInteger() {
        return kind != Kind.FLOAT;
    }

    @Override
    public String toString() {
        return "'" + descr() + "'";
    }
}
