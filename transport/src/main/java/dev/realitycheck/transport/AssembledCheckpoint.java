package dev.realitycheck.transport;

import dev.realitycheck.proto.v1.CheckpointManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint whose chunks all arrived in order and whose size and SHA-256 match its manifest.
 * The packed model sits in a temporary file that {@link #close()} deletes.
 *
 * @param manifest    the checkpoint's manifest
 * @param packedModel the verified packed model bytes
 * @param partition   partition it was read from
 * @param firstOffset offset of its manifest
 * @param lastOffset  offset of its last chunk
 * @param brokerTimestamp the timestamp of its manifest's record, in ms; on {@link Topics#CHECKPOINTS} the
 *                    broker's append time ({@link TopicSpec#LOG_APPEND_TIME}), which a producer cannot
 *                    forge, unlike the manifest's {@code created_at}; -1 when unknown
 * @param assembling  time from its manifest's arrival to its last chunk's
 */
public record AssembledCheckpoint(CheckpointManifest manifest, Path packedModel, int partition, long firstOffset,
                                  long lastOffset, long brokerTimestamp, java.time.Duration assembling) implements AutoCloseable {

    public AssembledCheckpoint {
        if (lastOffset < firstOffset) {
            throw new IllegalArgumentException("lastOffset " + lastOffset + " before firstOffset " + firstOffset);
        }
    }

    /** Deletes the temporary file. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(packedModel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
