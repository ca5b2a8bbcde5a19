package dev.realitycheck.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the trainer-service, under {@code realitycheck.trainer}. */
@ConfigMapping(prefix = "realitycheck.trainer")
public interface TrainerConfig {

    /** Consume {@code realitycheck.runs} and train (off: only the gRPC API, e.g. broker-less tests). */
    @WithDefault("true")
    boolean consumeRuns();

    /** Consumer group shared by every trainer replica: each run goes to exactly one of them. */
    @WithDefault("trainer-service")
    String consumerGroup();

    /**
     * Longest time one run may take between two polls ({@code max.poll.interval.ms}): a run is
     * one record and is acknowledged only when it ends, so this bounds a run's length. Default 7 days.
     */
    @WithDefault("P7D")
    Duration maxRunDuration();

    /** Where runs write their checkpoints ({@code <work-dir>/<run id>/iteration-N}); default: java.io.tmpdir. */
    Optional<Path> workDir();

    /**
     * Dataset locations by name (MNIST-layout IDX directories), e.g.
     * {@code realitycheck.trainer.datasets."fashion-mnist"=/data/fashion-mnist}. Fashion-MNIST
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

    /** Partitions of the topics this service creates when they are missing. */
    @WithDefault("3")
    int topicPartitions();

    /** Replication factor of the topics this service creates. */
    @WithDefault("1")
    short topicReplication();

    /** TensorFlow intra-op threads of a training session; 0: TensorFlow's default (all cores). */
    @WithDefault("0")
    int intraOpThreads();

    /** TensorFlow inter-op threads of a training session; 0: TensorFlow's default. */
    @WithDefault("0")
    int interOpThreads();

    /** How long StartExperiment waits for the broker to acknowledge the runs. */
    @WithDefault("PT30S")
    Duration publishTimeout();

    /**
     * Follow {@code realitycheck.run-events} and {@code realitycheck.experiments} and publish this
     * pod's run events, so every pod knows every run (off: a broker-less pod knows only its own).
     */
    @WithDefault("true")
    boolean followRunEvents();

    /**
     * This pod's name in run events ({@code RunEvent.reporter}); default: the host name
     * ({@code HOSTNAME}, the pod name on Kubernetes). A random suffix per process is always added,
     * so a restarted pod reads its earlier events as another pod's.
     */
    Optional<String> podId();

    /** The reporter id of this process: {@link #podId()} (or the host name) plus a random suffix. */
    default String reporterId() {
        String pod = podId().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            return host == null || host.isBlank() ? "trainer" : host;
        });
        return pod + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Longest time a pod spends reading {@code realitycheck.checkpoints} for the latest checkpoint of
     * a run it has no work dir for (and waiting for the run events at start).
     */
    @WithDefault("PT5M")
    Duration resumeFetchTimeout();

    /**
     * Bounds on one experiment, checked before anything is read or queued; a spec over one gets
     * {@code RESOURCE_EXHAUSTED} naming the field, its value and the setting. The defaults admit
     * every spec in {@code specs/} and the demo ({@code specs/paper.yaml}: 14 searched losses x 4
     * folds x (50 trials + 10 reproductions) = 3,360 runs).
     */
    Limits limits();

    /** The signature of the checkpoints published, under {@code realitycheck.trainer.signing}. */
    dev.realitycheck.security.Signing signing();

    /** {@code realitycheck.trainer.limits.*}: see {@link dev.realitycheck.trainer.experiments.ExperimentLimits}. */
    interface Limits {

        /** Runs of one experiment (per loss folds x seeds, plus folds x trials when searched). */
        @WithDefault("4096")
        int maxRuns();

        /** Seeds, or {@code reproductions}, of one experiment. */
        @WithDefault("100")
        int maxSeeds();

        /** {@code settings.iterations} of a run. */
        @WithDefault("1000000")
        long maxIterations();

        /** {@code settings.embedding_size}. */
        @WithDefault("4096")
        int maxEmbeddingSize();

        /** The MLP trunk's hidden width, {@code settings.extra["mlp_hidden"]}. */
        @WithDefault("8192")
        int maxHiddenSize();

        /** {@code settings.batch_size}. */
        @WithDefault("1024")
        int maxBatchSize();

        /** {@code dataset.split.folds} (and the number of {@code run_folds}). */
        @WithDefault("10")
        int maxFolds();

        /** {@code losses[i].search.trials} of one searched loss. */
        @WithDefault("200")
        int maxTrials();
    }

    /** The work directory this configuration resolves to. */
    default Path resolvedWorkDir() {
        return workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "realitycheck-trainer"));
    }
}
