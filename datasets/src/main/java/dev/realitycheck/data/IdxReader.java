package dev.realitycheck.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads IDX files, raw or gzip-compressed (recognised by the gzip magic 0x1f 0x8b, not by name). */
final class IdxReader {

    private static final int GZIP_BUFFER = 1 << 16;

    private IdxReader() {
    }

    static boolean isGzip(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer start = ByteBuffer.allocate(2);
            return ByteChannels.readFully(channel, start) == 2 && (start.get(0) & 0xFF) == 0x1f
                    && (start.get(1) & 0xFF) == 0x8b;
        }
    }

    static IdxArray read(Path file) throws IOException {
        if (isGzip(file)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), GZIP_BUFFER);
                 ReadableByteChannel channel = Channels.newChannel(in)) {
                return read(file, channel, -1);
            } catch (ZipException e) {
                throw new IdxFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
            }
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, channel, channel.size());
        }
    }

    /**
     * @param size the file size for a raw file, or -1 for a decompressing channel whose length
     *             is only known at its end
     */
    private static IdxArray read(Path file, ReadableByteChannel channel, long size) throws IOException {
        boolean gzip = size < 0;
        String after = gzip ? " after decompression" : "";
        if (size == 0) {
            throw new IdxFormatException(file, "empty file, not an IDX file");
        }
        ByteBuffer magic = ByteBuffer.allocate(4);
        int got = readCounting(file, channel, magic, gzip);
        byte[] m = Arrays.copyOf(magic.array(), got);
        if (got == 0) {
            throw new IdxFormatException(file, "empty gzip stream, not an IDX file");
        }
        if (got < 4 || m[0] != 0 || m[1] != 0) {
            throw new IdxFormatException(file, describeBadMagic(m, after));
        }
        int code = m[2] & 0xFF;
        IdxType type = IdxType.fromCode(code).orElseThrow(() -> new IdxFormatException(file, String.format(
                "unsupported IDX data type 0x%02X in magic %s (supported: 0x08 unsigned byte, 0x09 signed byte,"
                        + " 0x0B short, 0x0C int, 0x0D float, 0x0E double)", code, hex(m))));
        int rank = m[3] & 0xFF;
        if (rank == 0) {
            throw new IdxFormatException(file, "IDX rank 0 in magic " + hex(m) + "; at least one dimension is needed");
        }
        ByteBuffer dimBytes = ByteBuffer.allocate(4 * rank).order(ByteOrder.BIG_ENDIAN);
        got = readCounting(file, channel, dimBytes, gzip);
        if (got < dimBytes.capacity()) {
            throw new IdxFormatException(file, "truncated header: expected " + dimBytes.capacity() + " bytes for "
                    + rank + " dimensions, found " + got + after);
        }
        dimBytes.flip();
        int[] dims = new int[rank];
        long expected = type.itemSize();
        for (int i = 0; i < rank; i++) {
            long dim = Integer.toUnsignedLong(dimBytes.getInt());
            if (dim > Integer.MAX_VALUE) {
                throw new IdxFormatException(file, "dimension " + i + " is " + dim + ", above the supported maximum "
                        + Integer.MAX_VALUE);
            }
            dims[i] = (int) dim;
            expected = expected > ByteChannels.MAX_ARRAY_BYTES ? expected : expected * dim;
        }
        String what = type.describe() + " with dimensions " + IdxArray.dimsString(dims);
        if (expected > ByteChannels.MAX_ARRAY_BYTES) {
            throw new IdxFormatException(file, what + " is more than one array can hold ("
                    + ByteChannels.MAX_ARRAY_BYTES + " bytes)");
        }
        long headerBytes = 4L + 4L * rank;
        if (!gzip && size - headerBytes < expected) {
            throw new IdxFormatException(file, "truncated data: expected " + expected + " bytes, found "
                    + (size - headerBytes) + " (" + what + ")");
        }
        if (!gzip && size - headerBytes > expected) {
            throw new IdxFormatException(file, "trailing data: expected " + expected + " bytes, found "
                    + (size - headerBytes) + " (" + what + ")");
        }
        ByteBuffer data = ByteBuffer.allocate((int) expected);
        got = readCounting(file, channel, data, gzip);
        if (got < expected) {
            throw new IdxFormatException(file, "truncated data: expected " + expected + " bytes, found " + got + after
                    + " (" + what + ")");
        }
        if (gzip && ByteChannels.readFully(channel, ByteBuffer.allocate(1)) > 0) {
            throw new IdxFormatException(file, "trailing data: expected " + expected + " bytes, found more" + after
                    + " (" + what + ")");
        }
        data.flip();
        return new IdxArray(type, dims, data);
    }

    /** Reads fully; a gzip stream that ends early counts as the bytes read before it ended. */
    private static int readCounting(Path file, ReadableByteChannel channel, ByteBuffer dst, boolean gzip)
            throws IOException {
        int start = dst.position();
        try {
            return ByteChannels.readFully(channel, dst);
        } catch (EOFException e) {
            if (!gzip) {
                throw e;
            }
            return dst.position() - start; // "Unexpected end of ZLIB input stream": a cut .gz file
        }
    }

    private static String describeBadMagic(byte[] m, String after) {
        String found = "found " + hex(m) + after;
        if (m.length >= 4 && (m[0] & 0xFF) == 0x93 && m[1] == 'N' && m[2] == 'U' && m[3] == 'M') {
            return "bad magic: this is a NumPy .npy file, not IDX (read it with Npy.read); " + found;
        }
        if (m.length < 4) {
            return "bad magic: expected 4 bytes 0x00 0x00 <type> <rank>, the file has only " + m.length + after;
        }
        return "bad magic: expected 0x00 0x00 <type> <rank>, " + found;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(String.format("0x%02X", b & 0xFF));
        }
        return sb.toString();
    }
}
