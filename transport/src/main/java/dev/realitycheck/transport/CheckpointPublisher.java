package dev.realitycheck.transport;

import com.google.protobuf.ByteString;
import dev.realitycheck.proto.v1.CheckpointChunk;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.CheckpointRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes a packed checkpoint on {@link Topics#CHECKPOINTS} (or another topic of the same format,
 * such as {@link Topics#TRAINING_STATES}): its manifest (with the size and
 * SHA-256 of the packed bytes), then the bytes in chunks well under Kafka's 1 MiB record limit,
 * all keyed by the checkpoint id so one partition keeps them in order. Streams from the file:
 * memory is one chunk, whatever the model's size.
 *
 * <p>The producer should be idempotent with {@code acks=all} ({@link KafkaSettings#producer}),
 * so retries cannot reorder or duplicate chunks.
 *
 * <p>With a signer ({@link #signedBy}) the manifest record carries an Ed25519 signature of its value
 * ({@link RecordSignatures}); the chunks need none, the signed manifest fixes their size and SHA-256.
 */
public final class CheckpointPublisher {

    /** Default chunk size: half of Kafka's default 1 MiB record limit. */
    public static final int DEFAULT_CHUNK_BYTES = 512 * 1024;

    private static final Logger LOG = Logger.getLogger(CheckpointPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final int chunkBytes;
    /** Signs the manifest record; null: unsigned. */
    private final RecordSignatures.Signer signer;

    public CheckpointPublisher(Producer<String, byte[]> producer, String topic, int chunkBytes) {
        this(producer, topic, chunkBytes, null);
    }

    private CheckpointPublisher(Producer<String, byte[]> producer, String topic, int chunkBytes,
                                RecordSignatures.Signer signer) {
        if (chunkBytes < 1 || chunkBytes > 900 * 1024) {
            throw new IllegalArgumentException("chunkBytes must be in [1, 921600] (under Kafka's 1 MiB record limit), got " + chunkBytes);
        }
        this.producer = producer;
        this.topic = topic;
        this.chunkBytes = chunkBytes;
        this.signer = signer;
    }

    public CheckpointPublisher(Producer<String, byte[]> producer) {
        this(producer, Topics.CHECKPOINTS, DEFAULT_CHUNK_BYTES);
    }

    /** @return a publisher with the same producer and chunk size that publishes on {@code otherTopic} */
    public CheckpointPublisher onTopic(String otherTopic) {
        return new CheckpointPublisher(producer, otherTopic, chunkBytes, signer);
    }

    /** @return a publisher like this one whose manifests {@code newSigner} signs (null: unsigned) */
    public CheckpointPublisher signedBy(RecordSignatures.Signer newSigner) {
        return new CheckpointPublisher(producer, topic, chunkBytes, newSigner);
    }

    /**
     * Publishes {@code packedModel} under {@code manifest}, filling in its size, SHA-256, chunk
     * count and chunk size, and waits until every record is acknowledged.
     *
     * @return the manifest as published
     * @throws IOException if the file cannot be read or the broker does not acknowledge
     */
    public CheckpointManifest publish(CheckpointManifest manifest, Path packedModel) throws IOException {
        if (manifest.getCheckpointId().isBlank()) {
            throw new IllegalArgumentException("manifest.checkpoint_id must not be blank");
        }
        long size = Files.size(packedModel);
        String sha256 = sha256(packedModel);
        int chunks = (int) Math.max(1, (size + chunkBytes - 1) / chunkBytes);
        CheckpointManifest full = manifest.toBuilder()
                .setSizeBytes(size)
                .setSha256(sha256)
                .setChunkCount(chunks)
                .setChunkSizeBytes(chunkBytes)
                .build();
        String key = full.getCheckpointId();
        List<Future<RecordMetadata>> sent = new ArrayList<>(chunks + 1);
        ProducerRecord<String, byte[]> manifestRecord = new ProducerRecord<>(topic, key,
                CheckpointRecord.newBuilder().setManifest(full).build().toByteArray());
        sent.add(producer.send(signer == null ? manifestRecord : signer.sign(manifestRecord)));
        try (InputStream in = Files.newInputStream(packedModel)) {
            byte[] buffer = new byte[chunkBytes];
            for (int index = 0; index < chunks; index++) {
                int n = in.readNBytes(buffer, 0, chunkBytes);
                CheckpointChunk chunk = CheckpointChunk.newBuilder()
                        .setCheckpointId(key)
                        .setIndex(index)
                        .setData(ByteString.copyFrom(buffer, 0, n))
                        .build();
                sent.add(producer.send(new ProducerRecord<>(topic, key,
                        CheckpointRecord.newBuilder().setChunk(chunk).build().toByteArray())));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while publishing checkpoint " + key, e);
            } catch (ExecutionException e) {
                throw new IOException("checkpoint " + key + " was not acknowledged: " + e.getCause().getMessage(), e.getCause());
            }
        }
        LOG.infof("published checkpoint %s (%d bytes in %d chunks, sha256 %s) on %s", key, size, chunks,
                sha256.substring(0, 12), topic);
        return full;
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        java.security.MessageDigest digest = Digests.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
