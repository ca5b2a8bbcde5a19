package dev.realitycheck.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes {@code .npy} files in format version 1.0, streaming primitive arrays through a small buffer. */
final class NpyWriter {

    private NpyWriter() {
    }

    static void write(Path file, NpyArray array) throws IOException {
        try (FileChannel channel = open(file)) {
            ByteChannels.writeFully(channel, ByteBuffer.wrap(header(array.dtype(), array.shape()).toBytes()));
            ByteChannels.writeFully(channel, array.data());
        }
    }

    static void writeFloatMatrix(Path file, int rows, int cols, float[] values) throws IOException {
        NpyArray.checkMatrix(rows, cols, values.length);
        try (FileChannel channel = open(file)) {
            ByteChannels.writeFully(channel, ByteBuffer.wrap(header(NpyDtype.FLOAT32, rows, cols).toBytes()));
            ByteBuffer chunk = chunk();
            int perChunk = chunk.capacity() / Float.BYTES;
            for (int from = 0; from < values.length; from += perChunk) {
                int n = Math.min(perChunk, values.length - from);
                chunk.clear();
                chunk.asFloatBuffer().put(values, from, n);
                chunk.limit(n * Float.BYTES);
                ByteChannels.writeFully(channel, chunk);
            }
        }
    }

    static void writeLabels(Path file, int[] labels) throws IOException {
        try (FileChannel channel = open(file)) {
            ByteChannels.writeFully(channel, ByteBuffer.wrap(header(NpyDtype.INT32, labels.length).toBytes()));
            ByteBuffer chunk = chunk();
            int perChunk = chunk.capacity() / Integer.BYTES;
            for (int from = 0; from < labels.length; from += perChunk) {
                int n = Math.min(perChunk, labels.length - from);
                chunk.clear();
                chunk.asIntBuffer().put(labels, from, n);
                chunk.limit(n * Integer.BYTES);
                ByteChannels.writeFully(channel, chunk);
            }
        }
    }

    static void writeLabels(Path file, long[] labels) throws IOException {
        try (FileChannel channel = open(file)) {
            ByteChannels.writeFully(channel, ByteBuffer.wrap(header(NpyDtype.INT64, labels.length).toBytes()));
            ByteBuffer chunk = chunk();
            int perChunk = chunk.capacity() / Long.BYTES;
            for (int from = 0; from < labels.length; from += perChunk) {
                int n = Math.min(perChunk, labels.length - from);
                chunk.clear();
                chunk.asLongBuffer().put(labels, from, n);
                chunk.limit(n * Long.BYTES);
                ByteChannels.writeFully(channel, chunk);
            }
        }
    }

    private static NpyHeader header(NpyDtype dtype, long... shape) {
        return new NpyHeader(dtype, false, shape);
    }

    private static ByteBuffer chunk() {
        return ByteBuffer.allocateDirect(ByteChannels.CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }
}
