package dev.realitycheck.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Builds {@code .npy} files byte by byte, the way {@code numpy.save} lays them out, independently
 * of the production writer: magic {@code \x93NUMPY}, version, little-endian header length, the
 * dict literal plus NumPy's 21 spare growth spaces, space padding to a multiple of 64 bytes
 * ending in {@code '\n'}, then the data.
 */
final class NpyBytes {

    private NpyBytes() {
    }

    /** The dict literal as NumPy's {@code repr} writes it, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }}. */
    static String dict(String descr, boolean fortranOrder, long... shape) {
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + tuple + ", }";
    }

    /** A complete header block for a version 1.0 file. */
    static byte[] header(String descr, boolean fortranOrder, long... shape) {
        return header(1, dict(descr, fortranOrder, shape) + growthSpaces(fortranOrder, shape));
    }

    /** A complete header block of the given major version (1, 2 or 3) around any dict text. */
    static byte[] header(int major, String dict) {
        byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        int prefix = 6 + 2 + lengthBytes;
        int hlen = text.length + 1;
        int padlen = 64 - (prefix + hlen) % 64;
        ByteBuffer out = ByteBuffer.allocate(prefix + hlen + padlen).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (lengthBytes == 2) {
            out.putShort((short) (hlen + padlen));
        } else {
            out.putInt(hlen + padlen);
        }
        out.put(text);
        for (int i = 0; i < padlen; i++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    private static String growthSpaces(boolean fortranOrder, long... shape) {
        if (shape.length == 0) {
            return "";
        }
        long growing = fortranOrder ? shape[shape.length - 1] : shape[0];
        return " ".repeat(21 - Long.toString(growing).length());
    }

    /** Header plus data. */
    static byte[] file(byte[] header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Encodes numbers in the given type; {@code values} are taken as raw integer bits for integer types. */
    static byte[] data(String descr, double... values) {
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = descr.charAt(1);
        int size = Integer.parseInt(descr.substring(2));
        ByteBuffer out = ByteBuffer.allocate(values.length * size).order(order);
        for (double v : values) {
            if (kind == 'f') {
                switch (size) {
                    case 2 -> out.putShort(Float.floatToFloat16((float) v));
                    case 4 -> out.putFloat((float) v);
                    case 8 -> out.putDouble(v);
                    default -> throw new IllegalArgumentException(descr);
                }
            } else {
                putInteger(out, size, (long) v);
            }
        }
        return out.array();
    }

    /** Encodes integers (as raw two's complement bits, so unsigned maxima are passed as -1). */
    static byte[] integers(String descr, long... values) {
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int size = Integer.parseInt(descr.substring(2));
        ByteBuffer out = ByteBuffer.allocate(values.length * size).order(order);
        for (long v : values) {
            putInteger(out, size, v);
        }
        return out.array();
    }

    private static void putInteger(ByteBuffer out, int size, long v) {
        switch (size) {
            case 1 -> out.put((byte) v);
            case 2 -> out.putShort((short) v);
            case 4 -> out.putInt((int) v);
            case 8 -> out.putLong(v);
            default -> throw new IllegalArgumentException("size " + size);
        }
    }
}
