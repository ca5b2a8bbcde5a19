package dev.realitycheck.evaluation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the evaluation-service, under {@code realitycheck.evaluation}. */
@ConfigMapping(prefix = "realitycheck.evaluation")
public interface EvaluationConfig {

    /** One evaluation split across the replicas, under {@code realitycheck.evaluation.replicas}. */
    Replicas replicas();

    /**
     * One split's kNN spread over every replica: the replica that received the checkpoint publishes
     * the split's query blocks on {@code realitycheck.evaluation-blocks}, every replica's worker (one
     * consumer group) embeds the split itself and scores the blocks it gets, and the first combines
     * the partial sums into exactly the single-process result.
     */
    interface Replicas {
        /**
         * A split with more queries than this is split across the replicas; 0 (default): off, every
         * split is scored where its checkpoint was received (no worker, no owner started).
         */
        @WithDefault("0")
        int splitAbove();

        /** Queries per block (the last may be shorter): one task, one partial, one commit. */
        @WithDefault("4096")
        int blockSize();

        /** Longest wait for every block of one split; the checkpoint then gets an error result. */
        @WithDefault("PT30M")
        Duration timeout();

        /** Consumer group of the replicas' block workers. */
        @WithDefault("evaluation-service-blocks")
        String consumerGroup();

        /**
         * Longest time a worker spends reading a block's checkpoint from {@code realitycheck.checkpoints}
         * (from the beginning, to reassemble and embed it); past it the task is dead-lettered and the
         * owner told at once.
         */
        @WithDefault("PT5M")
        Duration checkpointReadTimeout();
    }

    /** Threads of one exact kNN search; default: every available processor. */
    Optional<Integer> knnThreads();

    /**
     * Run the kNN engine once on two small generated problems when the service starts, on a thread
     * of its own ({@code scoring.EngineWarmUp}; about 2 s of CPU, mostly JIT compiling), so that the
     * first checkpoint's kNN runs compiled code (cold, the first 35,000-query checkpoint took 1.2-3 s
     * more CPU). It gives way to real work: no further problem runs once a checkpoint is being received
     * or scored.
     */
    @WithDefault("true")
    boolean warmUp();

    /** Recall@K values computed for every evaluation and for requests that name none. */
    @WithDefault("1,2,4,8")
    List<Integer> recallKs();

    /**
     * Largest number of rows (queries plus references) one EvaluateEmbeddings request may send; more
     * get RESOURCE_EXHAUSTED naming the limit, before any distance is computed. The exact kNN is
     * quadratic in the rows: 10,000 rows of 128 floats take seconds, not minutes.
     */
    @WithDefault("10000")
    int maxEvaluateRows();

    /** Largest {@code dimension} of an EvaluateEmbeddings request's sets; larger: RESOURCE_EXHAUSTED. */
    @WithDefault("4096")
    int maxEvaluateDimension();

    /** Consume realitycheck.checkpoints and evaluate every checkpoint (off: only the gRPC API). */
    @WithDefault("true")
    boolean consumeCheckpoints();

    /** Consumer group of the checkpoint consumers (replicas share the work). */
    @WithDefault("evaluation-service")
    String consumerGroup();

    /** Where checkpoints are reassembled and unpacked; default: a folder in java.io.tmpdir. */
    Optional<Path> workDir();

    /** Largest packed checkpoint accepted (bytes). */
    @WithDefault("4294967296")
    long maxCheckpointBytes();

    /** A checkpoint with no new chunk for this long is incomplete (dead letter, error result). */
    @WithDefault("PT5M")
    Duration stallTimeout();

    /** Partitions of the topics this service creates when they are missing. */
    @WithDefault("3")
    int topicPartitions();

    /** Replication factor of the topics this service creates. */
    @WithDefault("1")
    short topicReplication();

    /**
     * How a checkpoint's two splits are scored (a {@code scoring.SplitSchedule} name, read by
     * {@code ScorerProducer}, which refuses any other at start), always test first and each result published as soon
     * as it is computed: SEQUENTIAL (one stage at a time), OVERLAPPED (the validation split embedded
     * while the test split's kNN runs) or CONCURRENT (both splits at once). The default is
     * SEQUENTIAL: the kNN engine already takes every core, so work beside it only delays the test
     * result. bin/bench-pipeline measures all three (docs/benchmarks.md, "Checkpoint to result"):
     * on 2 idle cores, 3 alternating rounds, the test result came 4.44 s after the last record with
     * SEQUENTIAL, 4.96 s with OVERLAPPED and 5.46 s with CONCURRENT, and the validation result too
     * came sooner with SEQUENTIAL than with OVERLAPPED (5.47 against 5.67 s); CONCURRENT gives the
     * validation result first. OVERLAPPED pays where cores stay free during the kNN (fewer
     * {@link #knnThreads()} than cores).
     */
    @WithDefault("SEQUENTIAL")
    String splitSchedule();

    /** Most images per TensorFlow call when embedding a split (fewer under {@link #modelBatchInputBytes()}). */
    @WithDefault("512")
    int embedBatchSize();

    /**
     * Most bytes of float32 input in one TensorFlow call (default 64 MiB): the call batch follows the
     * checkpoint's input shape, so a model at 227x227x3 (606 KiB an image) embeds 108 images per call
     * where a 28x28x1 one keeps {@link #embedBatchSize()}, and {@link #imageBatchSize()} caps it again.
     */
    @WithDefault("67108864")
    long modelBatchInputBytes();

    /**
     * Images per TensorFlow call when embedding a split of an image dataset (CUB-200, Cars196, SOP,
     * image folders), streamed from disk: at most {@code 2 x image-workers} such batches of decoded,
     * transformed images are held at once (64 at 227x227x3: 40 MB each).
     */
    @WithDefault("64")
    int imageBatchSize();

    /** Threads decoding and transforming an image dataset's images ahead of the model. */
    @WithDefault("2")
    int imageWorkers();

    /**
     * Dataset locations by name (MNIST-layout directories, or an image dataset's root for a spec of an
     * image format), e.g.
     * {@code realitycheck.evaluation.datasets."fashion-mnist"=/data/fashion-mnist}. Fashion-MNIST
     * defaults to the Debian package's directory.
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

    /**
     * Evaluate the raw-pixel and untrained-network baselines once per dataset, fold count and fold
     * that a checkpoint names, after that checkpoint's own results.
     */
    @WithDefault("true")
    boolean baselines();

    /**
     * Publish the paper's "concatenated" test evaluation of each (loss config, seed) once every
     * fold has a chosen checkpoint, and again whenever a fold's choice changes ({@code concatenation.ConcatenationLifecycle}).
     */
    @WithDefault("true")
    boolean concatenate();

    /** Also concatenate the folds of hyperparameter-search trials (off: final reproductions only). */
    @WithDefault("false")
    boolean concatenateTrials();

    /**
     * Bound (bytes) of the on-disk cache of checkpoints' test embeddings in the work dir that the
     * concatenation reads (the least recently written are dropped beyond it). Default 4 GiB, e.g.
     * about 230 Fashion-MNIST checkpoints of 128 dimensions (35,000 test images each).
     */
    @WithDefault("4294967296")
    long testEmbeddingCacheBytes();

    /** The kNN thread count this configuration resolves to. */
    default int resolvedKnnThreads() {
        return knnThreads().orElse(Runtime.getRuntime().availableProcessors());
    }

    /** Bounds on unpacking a checkpoint archive, under {@code realitycheck.evaluation.archive}. */
    Archive archive();

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

    /** Signatures of checkpoints read and of results written and read, under {@code realitycheck.evaluation.signing}. */
    dev.realitycheck.security.Signing signing();

    /** The work directory this configuration resolves to. */
    default Path resolvedWorkDir() {
        return workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "realitycheck-evaluation"));
    }
}
