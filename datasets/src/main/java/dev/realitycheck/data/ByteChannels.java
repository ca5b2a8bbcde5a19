package dev.realitycheck.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Bulk channel I/O in bounded windows.
 *
 * <p>Reading into or writing from a large heap buffer in one call makes the JDK allocate a
 * temporary direct buffer as large as the request (a hidden extra copy of a 100 MB array);
 * windows of {@link #CHUNK} bytes keep that temporary small.
 */
final class ByteChannels {

    /** Largest single transfer. */
    static final int CHUNK = 1 << 20;

    /** Largest byte count a Java array or heap buffer can reliably hold. */
    static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private ByteChannels() {
    }

    /**
     * Reads until {@code dst} is full or the channel ends, advancing {@code dst}'s position by
     * the bytes read, which are also returned. If the channel throws, the position still counts
     * every byte read before the failure.
     */
    static int readFully(ReadableByteChannel channel, ByteBuffer dst) throws IOException {
        int start = dst.position();
        while (dst.hasRemaining()) {
            int n = Math.min(dst.remaining(), CHUNK);
            ByteBuffer window = dst.slice(dst.position(), n);
            int read = channel.read(window);
            if (read < 0) {
                break;
            }
            dst.position(dst.position() + read);
        }
        return dst.position() - start;
    }

    /** Writes all of {@code src}'s remaining bytes. */
    static void writeFully(WritableByteChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), CHUNK);
            ByteBuffer window = src.slice(src.position(), n);
            while (window.hasRemaining()) {
                channel.write(window);
            }
            src.position(src.position() + n);
        }
    }
}
