package dev.realitycheck.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Reads {@code .npy} files, format versions 1.0, 2.0 and 3.0. */
final class NpyReader {

    /** A parsed header and the file offset where the data starts. */
    record Located(NpyHeader header, long dataOffset) {
    }

    /** Headers longer than this are refused rather than allocated (NumPy itself stops at 10,000). */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private NpyReader() {
    }

    static NpyHeader readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, channel).header();
        }
    }

    static NpyArray read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Located located = readHeader(file, channel);
            NpyHeader header = located.header();
            long[] shape = header.shape();
            if (shape.length != 1 && shape.length != 2) {
                throw new NpyFormatException(file, "unsupported rank " + shape.length + " (shape "
                        + NpyHeader.shapeString(shape) + "); only 1-D and 2-D arrays are supported");
            }
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] > Integer.MAX_VALUE) {
                    throw new NpyFormatException(file, "unsupported shape " + NpyHeader.shapeString(shape)
                            + ": dimension " + i + " exceeds " + Integer.MAX_VALUE);
                }
            }
            long expected;
            try {
                expected = header.dataBytes();
            } catch (ArithmeticException e) {
                expected = Long.MAX_VALUE;
            }
            if (expected > ByteChannels.MAX_ARRAY_BYTES) {
                throw new NpyFormatException(file, "unsupported shape " + NpyHeader.shapeString(shape) + " of "
                        + header.dtype() + ": " + (expected == Long.MAX_VALUE ? "more than 2^63" : expected)
                        + " bytes is more than one array can hold (" + ByteChannels.MAX_ARRAY_BYTES + ")");
            }
            long available = channel.size() - located.dataOffset();
            if (available < expected) {
                throw new NpyFormatException(file, "truncated data: expected " + expected + " bytes, found "
                        + available + " (shape " + NpyHeader.shapeString(shape) + " of " + header.dtype() + ")");
            }
            if (available > expected) {
                throw new NpyFormatException(file, "trailing data: expected " + expected + " bytes, found "
                        + available + " (shape " + NpyHeader.shapeString(shape) + " of " + header.dtype() + ")");
            }
            ByteBuffer data = ByteBuffer.allocate((int) expected);
            channel.position(located.dataOffset());
            int read = ByteChannels.readFully(channel, data);
            if (read != expected) {
                throw new NpyFormatException(file, "truncated data: expected " + expected + " bytes, found " + read);
            }
            data.flip();
            if (header.fortranOrder() && shape.length == 2) {
                data = Transpose.columnMajorToRowMajor(data, (int) shape[0], (int) shape[1], header.dtype().itemSize());
            }
            return new NpyArray(shape, header.dtype(), data.order(header.dtype().byteOrder()));
        }
    }

    static Located readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            throw new NpyFormatException(file, "empty file, not a .npy array");
        }
        ByteBuffer prefix = ByteBuffer.allocate(NpyHeader.MAGIC.length + 2);
        channel.position(0);
        int n = ByteChannels.readFully(channel, prefix);
        byte[] start = Arrays.copyOf(prefix.array(), n);
        if (n < NpyHeader.MAGIC.length || !Arrays.equals(start, 0, NpyHeader.MAGIC.length,
                NpyHeader.MAGIC, 0, NpyHeader.MAGIC.length)) {
            throw new NpyFormatException(file, describeBadMagic(start));
        }
        if (n < NpyHeader.MAGIC.length + 2) {
            throw new NpyFormatException(file, "truncated header: the file ends after " + n + " bytes, inside the version");
        }
        int major = start[6] & 0xFF;
        int minor = start[7] & 0xFF;
        int lengthBytes;
        if (major == 1 && minor == 0) {
            lengthBytes = 2;
        } else if ((major == 2 || major == 3) && minor == 0) {
            lengthBytes = 4;
        } else {
            throw new NpyFormatException(file, "unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        int got = ByteChannels.readFully(channel, lengthField);
        if (got < lengthBytes) {
            throw new NpyFormatException(file, "truncated header: expected " + lengthBytes
                    + " bytes of header length, found " + got);
        }
        lengthField.flip();
        long headerLength = lengthBytes == 2 ? Short.toUnsignedLong(lengthField.getShort())
                : Integer.toUnsignedLong(lengthField.getInt());
        long dictStart = NpyHeader.MAGIC.length + 2L + lengthBytes;
        long availableHeader = size - dictStart;
        if (headerLength > availableHeader) {
            throw new NpyFormatException(file, "truncated header: expected " + headerLength
                    + " bytes of header dict, found " + availableHeader);
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException(file, "header dict of " + headerLength + " bytes is implausibly large (at most "
                    + MAX_HEADER_BYTES + " accepted)");
        }
        ByteBuffer dictBytes = ByteBuffer.allocate((int) headerLength);
        ByteChannels.readFully(channel, dictBytes);
        dictBytes.flip();
        String dict;
        if (major == 3) {
            try {
                dict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(dictBytes).toString();
            } catch (CharacterCodingException e) {
                throw new NpyFormatException(file, "header dict of a version 3.0 file is not valid UTF-8", e);
            }
        } else {
            dict = StandardCharsets.ISO_8859_1.decode(dictBytes).toString();
        }
        NpyHeader header;
        try {
            header = NpyHeader.parse(dict);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(file, e.getMessage(), e);
        }
        return new Located(header, dictStart + headerLength);
    }

    private static String describeBadMagic(byte[] start) {
        String found = "found " + pythonBytes(start);
        if (start.length > 0 && (start[0] & 0xFF) == 0x80) {
            return "bad magic: this is a Python pickle, not a .npy array (object arrays and pickled data are not"
                    + " supported; save a numeric array with numpy.save), " + found;
        }
        if (start.length >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
            return "bad magic: this is a zip archive (.npz?), not a .npy array; extract its .npy members first, " + found;
        }
        return "bad magic: expected b'\\x93NUMPY', " + found;
    }

    /** Renders bytes the way Python prints a bytes literal, e.g. {@code b'\x93NUMPY'}. */
    static String pythonBytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder("b'");
        for (byte b : bytes) {
            int v = b & 0xFF;
            if (v == '\\' || v == '\'') {
                sb.append('\\').append((char) v);
            } else if (v >= 0x20 && v < 0x7F) {
                sb.append((char) v);
            } else {
                sb.append(String.format("\\x%02x", v));
            }
        }
        return sb.append('\'').toString();
    }
}
