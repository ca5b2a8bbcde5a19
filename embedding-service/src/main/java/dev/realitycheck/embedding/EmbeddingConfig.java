package dev.realitycheck.embedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

    /**
     * Largest number of items in one Embed request (or one AddToGallery request); more is
     * RESOURCE_EXHAUSTED naming this limit.
     */
    @WithDefault("1024")
    int maxRequestItems();

    /**
     * Bound on one item's encoded size in bytes, from which the gRPC server's largest inbound message
     * is derived ({@link dev.realitycheck.embedding.grpc.GrpcMessageLimit}: {@code max-request-items}
     * items of this size plus 64 KiB). The default, 16 KiB, holds a 28x28x1 float32 tensor (3,136 bytes
     * packed, the same as repeated floats) or a 64x64x3 uint8 tensor with room for ids and shapes.
     */
    @WithDefault("16384")
    int maxItemBytes();

    /** Batch concurrent Embed requests server-side (off: each request runs TensorFlow on its own). */
    @WithDefault("true")
    boolean microBatching();

    /** Most items in one server-side batch (one TensorFlow call). */
    @WithDefault("256")
    int maxBatchSize();

    /**
     * How long a batch that is not full waits for more requests. 0 (the default): greedy batching, a
     * batch is what queued while the previous one ran, so an idle service adds no latency and batches
     * grow with load. A positive wait helps only when TensorFlow, not the RPC layer, is the bottleneck
     * at low concurrency; it is spent on every batch that does not fill up.
     */
    @WithDefault("PT0S")
    Duration maxWait();

    /** Most items waiting for a batch; a request that does not fit is RESOURCE_EXHAUSTED. */
    @WithDefault("8192")
    int queueCapacity();

    /**
     * Validate and copy Embed tensor inputs on a worker thread instead of the Vert.x event loop that
     * received the request (false, the default: the copy is a bulk conversion of at most a few hundred
     * KB, cheaper than the two thread hand-offs a worker costs; measured in the README, the hand-offs
     * doubled the service's CPU per single-item request). Images are always decoded on a worker, and
     * with micro-batching off TensorFlow always runs on one.
     */
    @WithDefault("false")
    boolean decodeOnWorker();

    /** Threads running batches (each runs one TensorFlow call at a time). */
    @WithDefault("1")
    int batchWorkers();

    /**
     * Most items per TensorFlow call when a model embeds a large request or a server-side batch, or
     * re-embeds a gallery; fewer when their inputs exceed {@link #modelBatchInputBytes()}.
     */
    @WithDefault("256")
    int modelBatchSize();

    /**
     * Most bytes of float32 input in one TensorFlow call (default 64 MiB): the call batch follows the
     * model's input shape, so a model at 227x227x3 (606 KiB an image) embeds 108 items per call where a
     * 28x28x1 one keeps {@link #modelBatchSize()}; a large trunk's activations grow with the batch.
     */
    @WithDefault("67108864")
    long modelBatchInputBytes();

    /** Where checkpoints are reassembled and unpacked; default: a folder in java.io.tmpdir. */
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

    /**
     * How galleries are searched: {@code exact} (every vector, the default) or {@code hnsw} (Lucene's
     * approximate HNSW graph, for large galleries; see {@link dev.realitycheck.embedding.gallery.HnswGalleryIndex}).
     */
    @WithDefault("exact")
    GalleryIndexKind galleryIndex();

    /** Per-gallery override of {@link #galleryIndex()}: {@code gallery-index-for.<gallery>=hnsw}. */
    Map<String, GalleryIndexKind> galleryIndexFor();

    /** Galleries smaller than this are searched exactly even under hnsw. */
    @WithDefault("1000")
    int hnswMinItems();

    /** HNSW candidates collected per query, at least k + 1 (more: better recall, slower). */
    @WithDefault("100")
    int hnswEfSearch();

    /**
     * IDX directories (MNIST layout) of datasets by name, for {@code AddToGallery.dataset_split}:
     * {@code datasets."<name>"=/path}. Unconfigured names use the request's path; {@code fashion-mnist}
     * falls back to the Debian package's {@code /usr/share/datasets/fashion-mnist}.
     */
    Map<String, Path> datasets();

    /**
     * Directories under which a dataset's own {@code path} (in a spec or request) may lie, comma-separated;
     * a path outside them (after resolving {@code ..} and symbolic links) is refused naming
     * {@code dataset.path}. Datasets configured by name or built in are not restricted. Default:
     * {@code /usr/share/datasets} (Debian's dataset packages) and {@code /data} (the Helm chart's dataset volume).
     */
    @WithDefault(dev.realitycheck.data.catalog.DataRoots.DEFAULTS)
    java.util.List<Path> dataRoots();

    /** Most items in one gallery. */
    @WithDefault("1000000")
    int maxGalleryItems();

    /**
     * Most items in all galleries of this replica together (galleries live in memory, per replica:
     * about 3 KB each for a 28x28 input, so the default bounds them near 6 GB); AddToGallery beyond it
     * is RESOURCE_EXHAUSTED naming this setting. Without it, many galleries of {@link #maxGalleryItems()}
     * each would have no bound.
     */
    @WithDefault("2000000")
    int maxReplicaGalleryItems();

    /** HTTP/2 settings of the port that carries gRPC ({@link dev.realitycheck.embedding.grpc.Http2Windows}). */
    Http2 http2();

    /** HTTP/2 flow-control windows and frame size, under {@code realitycheck.embedding.http2}. */
    interface Http2 {
        /** Bytes a client may send on one stream (one call) before the server acknowledges them (HTTP/2's default: 65535). */
        @WithDefault("1048576")
        int streamWindowBytes();

        /** Bytes a client may send on one connection, all calls together, before acknowledgement. */
        @WithDefault("4194304")
        int connectionWindowBytes();

        /** Largest DATA frame a client may send (16384 to 16777215). */
        @WithDefault("1048576")
        int maxFrameBytes();
    }

    /** Bounds on unpacking a checkpoint archive, under {@code realitycheck.embedding.archive}. */
    Archive archive();

    /** Signatures of the checkpoints and results read, under {@code realitycheck.embedding.signing}. */
    dev.realitycheck.security.Signing signing();

    /**
     * Bounds on unpacking a checkpoint archive, checked while it streams ({@link dev.realitycheck.model.ArchiveLimits});
     * an archive over one is dead-lettered with the limit in its message.
     */
    interface Archive {
        /** Most entries (files and directories) in one archive. */
        @WithDefault("1000")
        int maxEntries();

        /** Most bytes one archive unpacks to (default 4 GiB). */
        @WithDefault("4294967296")
        long maxBytes();

        /** Most bytes unpacked per archive byte read (checked beyond the first MiB); packed models are about 1. */
        @WithDefault("100")
        int maxCompressionRatio();

        /** These bounds as the models module's limits. */
        default dev.realitycheck.model.ArchiveLimits limits() {
            return new dev.realitycheck.model.ArchiveLimits(maxEntries(), maxBytes(), maxCompressionRatio());
        }
    }

    /** The work directory this configuration resolves to. */
    default Path resolvedWorkDir() {
        return workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "realitycheck-embedding"));
    }
}
