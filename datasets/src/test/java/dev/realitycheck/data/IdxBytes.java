package dev.realitycheck.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte, independently of the production writer. */
final class IdxBytes {

    private IdxBytes() {
    }

    /** Magic {@code 0x00 0x00 type rank}, big-endian dimensions, then {@code data}. */
    static byte[] file(int typeCode, int[] dims, byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(4 + 4 * dims.length + data.length).order(ByteOrder.BIG_ENDIAN);
        out.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int dim : dims) {
            out.putInt(dim);
        }
        return out.put(data).array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Unsigned bytes from ints 0..255. */
    static byte[] ubytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
