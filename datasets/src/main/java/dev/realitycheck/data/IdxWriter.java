package dev.realitycheck.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files, raw or gzip-compressed. */
final class IdxWriter {

    private IdxWriter() {
    }

    static void write(Path file, IdxArray array, boolean gzip) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * array.rank()).order(ByteOrder.BIG_ENDIAN);
        header.put((byte) 0).put((byte) 0).put((byte) array.type().code()).put((byte) array.rank());
        for (int dim : array.dims()) {
            header.putInt(dim);
        }
        header.flip();
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
             WritableByteChannel channel = Channels.newChannel(out)) {
            ByteChannels.writeFully(channel, header);
            ByteChannels.writeFully(channel, array.data());
        }
    }
}
