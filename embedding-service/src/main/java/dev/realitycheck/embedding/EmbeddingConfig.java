package dev.realitycheck.embedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of the embedding-service, under {@code realitycheck.embedding}. */
@ConfigMapping(prefix = "realitycheck.embedding")
public interface EmbeddingConfig {

    /** Follow realitycheck.checkpoints and realitycheck.evaluations (off: the gRPC API alone, no model). */
    @WithDefault("true")
    boolean followCheckpoints();

    /**
     * Prefix of the client ids of this replica's consumers. No consumer group is used: every replica
     * reads every partition of both topics from the beginning (each must load every checkpoint).
     */
    @WithDefault("embedding-service")
    String clientIdPrefix();

    /** How the served checkpoint is chosen: latest, best (validation MAP@R) or pinned. */
    @WithDefault("latest")
    Policy policy();

    /** The checkpoint served under {@code policy=pinned}; required then. */
    Optional<String> pinnedCheckpoint();

    /** Most models kept loaded; the least recently served is closed first (never the served or pinned one). */
    @WithDefault("3")
    int maxModels();

    /** Largest number of items in one Embed request (or one AddToGallery request). */
    @WithDefault("1024")
    int maxRequestItems();

    /** Batch concurrent Embed requests server-side (off: each request runs TensorFlow on its own). */
    @WithDefault("true")
    boolean microBatching();

    /** Most items in one server-side batch (one TensorFlow call). */
    @WithDefault("256")
    int maxBatchSize();

    /** How long the first request of a batch waits for others to join it. */
    @WithDefault("PT0.002S")
    Duration maxWait();

    /** Most items waiting for a batch; a request that does not fit is RESOURCE_EXHAUSTED. */
    @WithDefault("8192")
    int queueCapacity();

    /** Threads running batches (each runs one TensorFlow call at a time). */
    @WithDefault("1")
    int batchWorkers();

    /** Items per TensorFlow call when a model embeds a large request or re-embeds a gallery. */
    @WithDefault("256")
    int modelBatchSize();

    /** Where checkpoints are reassembled; default: a folder in java.io.tmpdir. */
    Optional<Path> workDir();

    /** Largest packed checkpoint accepted (bytes). */
    @WithDefault("4294967296")
    long maxCheckpointBytes();

    /** A checkpoint with no new chunk for this long is incomplete (dead letter). */
    @WithDefault("PT5M")
    Duration stallTimeout();

    /** Partitions of the topics this service creates when they are missing. */
    @WithDefault("3")
    int topicPartitions();

    /** Replication factor of the topics this service creates. */
    @WithDefault("1")
    short topicReplication();

    /** Threads of one exact gallery search. */
    @WithDefault("2")
    int searchThreads();

    /** Most items in one gallery. */
    @WithDefault("1000000")
    int maxGalleryItems();

    /** The work directory this configuration resolves to. */
    default Path resolvedWorkDir() {
        return workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "realitycheck-embedding"));
    }
}
