package dev.realitycheck.evaluation.consume;

import dev.realitycheck.evaluation.scoring.Baselines;
import dev.realitycheck.evaluation.scoring.CheckpointScorer;
import dev.realitycheck.evaluation.results.ResultRecords;
import dev.realitycheck.evaluation.scoring.ErrorResults;
import dev.realitycheck.evaluation.scoring.EvaluationIds;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import com.google.protobuf.util.Timestamps;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.transport.RecordSignatures;
import dev.realitycheck.transport.TopicCatchUp;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.transport.AssembledCheckpoint;
import dev.realitycheck.transport.CheckpointAssembler;
import dev.realitycheck.transport.CheckpointStream;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The evaluation loop: consumes {@code realitycheck.checkpoints} in a consumer group, reassembles
 * each checkpoint ({@link CheckpointAssembler}), scores it on validation and test classes, and
 * publishes one {@code EvaluationResult} per split on {@code realitycheck.evaluations} (key = run id).
 *
 * <p>At-least-once: offsets are committed only after the results (or dead letters) are acknowledged,
 * and never past a checkpoint still being assembled; evaluation ids are deterministic, so work
 * repeated after a crash gives the same records. It runs on a {@link ConsumerLoop} (group mode), whose
 * one policy applies to any failure, an {@code Error} included (broker gone, publish not acknowledged,
 * the scorer crashing): logged, counted ({@link #failures()}), the consumer dropped and a new one
 * started from the committed offsets after a backoff.
 *
 * <p>Trained checkpoints come first: a checkpoint is scored as soon as it is whole, each split's
 * result published as soon as it is computed (the test split first, see {@code SplitSchedule}),
 * and only then is the baseline work its dataset and fold still need queued ({@link BaselineSource},
 * {@link Baselines#tasksFor}); one queued baseline task runs when a poll brings nothing, nothing
 * is waiting on the assigned partitions and no checkpoint is half-received, so a checkpoint that
 * arrives meanwhile waits for at most one task. Each result's timings carry the stages
 * (download, unpack, embedding, kNN, metrics, publish). The queue lives as long as the loop (a
 * dropped consumer keeps it); a task whose results were not acknowledged goes back to its head. Verified checkpoints come from a
 * {@link CheckpointStream}. A plain class (no CDI), so tests can run, stop and restart it against a
 * real broker; {@link EvaluationLifecycle} runs it in the service.
 *
 * <p><b>Cheap, clean restarts.</b> On start the loop removes what a dead process left in the work dir
 * ({@link #removeLeftovers}: partial {@code .part} files, unpacked {@code realitycheck-model-*} and
 * {@code untrained-mlp-*} directories), then its first consumer reads {@code realitycheck.evaluations}
 * to its end: an evaluation id found there is never published again (a checkpoint whose results are
 * all there is not scored again), and the baselines found there are not recomputed
 * ({@link BaselineSource#restore}). With a verifier ({@link Settings#verifier}) only results signed by a
 * trusted key count, and a checkpoint manifest without a trusted signature is dead-lettered
 * ({@code SIGNATURE}), never scored; with a signer every result published is signed.
 */
public final class EvaluationLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EvaluationLoop.class);

    /**
     * @param bootstrapServers  Kafka bootstrap servers
     * @param consumerGroup     group shared by the replicas
     * @param workDir           where checkpoints are reassembled
     * @param maxCheckpointBytes largest packed checkpoint accepted
     * @param stallTimeout      a checkpoint with no chunk for this long is incomplete
     * @param topicPartitions   partitions of topics created when missing
     * @param topicReplication  replication of topics created when missing
     * @param verifier          checks the signatures of checkpoint manifests and of the results read back; null: off
     * @param signer            signs the results published; null: unsigned
     */
    public record Settings(String bootstrapServers, String consumerGroup, Path workDir, long maxCheckpointBytes,
                           Duration stallTimeout, int topicPartitions, short topicReplication,
                           RecordSignatures.Verifier verifier, RecordSignatures.Signer signer) {

        /** Settings without signatures (nothing verified, nothing signed). */
        public Settings(String bootstrapServers, String consumerGroup, Path workDir, long maxCheckpointBytes,
                        Duration stallTimeout, int topicPartitions, short topicReplication) {
            this(bootstrapServers, consumerGroup, workDir, maxCheckpointBytes, stallTimeout, topicPartitions,
                    topicReplication, null, null);
        }
    }

    /** How long the first consumer may take to read the results published so far. */
    static final Duration READ_BACK_TIMEOUT = Duration.ofMinutes(2);

    /** The reference work a checkpoint's dataset and fold still need, and how to run it. */
    public interface BaselineSource {

        /** No baselines at all. */
        BaselineSource NONE = new BaselineSource() {
            @Override
            public List<Baselines.Task> tasksFor(CheckpointManifest checkpoint) {
                return List.of();
            }

            @Override
            public List<EvaluationResult> run(Baselines.Task task) {
                return List.of();
            }
        };

        /** The tasks {@code checkpoint}'s dataset and fold still need, each handed out once. */
        List<Baselines.Task> tasksFor(CheckpointManifest checkpoint);

        /** The results of one task, to publish. */
        List<EvaluationResult> run(Baselines.Task task) throws Exception;

        /** Takes the baseline results already published (read back on start): their tasks are not handed out again. */
        default void restore(List<EvaluationResult> published) {
        }

        /** The baselines of {@code baselines}. */
        static BaselineSource of(Baselines baselines) {
            return new BaselineSource() {
                @Override
                public List<Baselines.Task> tasksFor(CheckpointManifest checkpoint) {
                    return baselines.tasksFor(checkpoint);
                }

                @Override
                public List<EvaluationResult> run(Baselines.Task task) throws Exception {
                    return baselines.run(task);
                }

                @Override
                public void restore(List<EvaluationResult> published) {
                    baselines.restore(published);
                }
            };
        }
    }

    private final Settings config;
    private final CheckpointScorer scorer;
    private final BaselineSource baselines;
    private final MeterRegistry registry;
    private final ConsumerLoop loop;
    private final AtomicLong lag = new AtomicLong();
    /** Baseline tasks waiting for an idle moment, oldest first. */
    private final java.util.concurrent.BlockingDeque<Baselines.Task> baselineQueue = new java.util.concurrent.LinkedBlockingDeque<>();
    /** Latest MAP@R per (run, split), exported as gauges. */
    private final Map<String, double[]> latestMapAtR = new java.util.concurrent.ConcurrentHashMap<>();
    /** Evaluation ids on the results topic (read back by the first consumer, then each one published). */
    private volatile Set<String> published;
    /** Checkpoint partitions the current consumer holds (0 until the first assignment, and after a revocation). */
    private final java.util.concurrent.atomic.AtomicInteger assigned = new java.util.concurrent.atomic.AtomicInteger();
    /** Checkpoint records are being handled (assembled, scored) or wait: see {@link #isWorking()}. */
    private volatile boolean working;

    public EvaluationLoop(Settings settings, CheckpointScorer scorer, BaselineSource baselines, MeterRegistry registry) {
        this.config = settings;
        this.scorer = scorer;
        this.baselines = baselines;
        this.registry = registry;
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.group("evaluation-loop", List.of(Topics.CHECKPOINTS)),
                this::newConsumer, ConsumerLoop.TopicSetup.create(settings.bootstrapServers(), Topics.ALL,
                        settings.topicPartitions(), settings.topicReplication()), Session::new);
        registry.gauge("realitycheck.evaluation.consumer.lag", lag);
    }

    /** Removes a dead process's leftovers from the work dir, then starts consuming on a thread of its own. */
    public void start() {
        removeLeftovers(config.workDir());
        loop.start();
    }

    /**
     * Deletes what a process that died mid-checkpoint left in {@code workDir}: partial checkpoints
     * ({@code *.part}), unpacked models ({@code realitycheck-model-*}) and exported untrained networks
     * ({@code untrained-mlp-*}); the test-embedding cache stays. Call before anything uses the directory.
     *
     * @return how many entries were removed
     */
    public static int removeLeftovers(Path workDir) {
        if (!Files.isDirectory(workDir)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> entries = Files.list(workDir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".part") || name.startsWith("realitycheck-model-") || name.startsWith("untrained-mlp-")) {
                    try (Stream<Path> walk = Files.walk(p)) {
                        walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot clear leftovers in %s: %s", workDir, e);
        }
        if (removed > 0) {
            LOG.infof("removed %d leftovers of an earlier process from %s", removed, workDir);
        }
        return removed;
    }

    /**
     * Reads the results topic to its end: the evaluation ids published so far (only those signed by a
     * trusted key when verifying), and the baseline results handed to the baseline source.
     */
    private Set<String> readBack() throws Exception {
        Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<EvaluationResult> baselineResults = new java.util.ArrayList<>();
        long start = System.nanoTime();
        long read = TopicCatchUp.readTopic(config.bootstrapServers(), "evaluation-read-back", Topics.EVALUATIONS,
                READ_BACK_TIMEOUT, r -> {
                    if (config.verifier() != null && config.verifier().problem(r).isPresent()) {
                        return; // not ours to believe: the results follower dead-letters it
                    }
                    try {
                        EvaluationResult result = EvaluationResult.parseFrom(r.value());
                        ids.add(result.getEvaluationId());
                        if (result.getBaseline() && !result.getConcatenated()) {
                            baselineResults.add(result);
                        }
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        LOG.debugf("not a result at %s[%d]@%d", r.topic(), r.partition(), r.offset());
                    }
                });
        baselines.restore(baselineResults);
        LOG.infof("read back %d results (%d evaluation ids, %d baseline results) in %.1f s: none is published again",
                read, ids.size(), baselineResults.size(), (System.nanoTime() - start) / 1e9);
        return ids;
    }

    /** True while the consuming thread lives (until {@link #close()}; failures only restart its consumer). */
    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Failures so far, each of which dropped the consumer (see {@link ConsumerLoop}). */
    public long failures() {
        return loop.failures();
    }

    /**
     * True once a consumer holds checkpoint partitions, the results topic having been read back: a
     * checkpoint published from now on is scored without waiting for the loop's start (a benchmark
     * of a running service waits for this).
     */
    public boolean isConsuming() {
        return assigned.get() > 0;
    }

    /**
     * True from the poll that brings checkpoint records until a poll finds nothing waiting (no record,
     * no lag, no checkpoint half-received): while a checkpoint is received, assembled or scored, and
     * while more wait on the broker. Work that may be dropped for a checkpoint (the engine's warm-up)
     * stops when it sees this.
     */
    public boolean isWorking() {
        return working;
    }

    /** Baseline tasks queued and not yet published. */
    public int baselinesWaiting() {
        return baselineQueue.size();
    }

    /** Stops consuming (work in progress is abandoned, not committed) and waits up to 30 s. */
    @Override
    public void close() throws InterruptedException {
        loop.close();
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Properties props = KafkaSettings.consumer(config.bootstrapServers(), config.consumerGroup(), "evaluation-checkpoints");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString((int) Duration.ofMinutes(30).toMillis()));
        return new KafkaConsumer<>(props);
    }

    /**
     * One consumer's work: its producer, its checkpoint stream, and the next offset per partition,
     * committed after each poll but never past a checkpoint still being assembled.
     */
    private final class Session implements ConsumerLoop.Session, CheckpointStream.Sink {
        private final Consumer<byte[], byte[]> consumer;
        private final Producer<String, byte[]> producer;
        private final CheckpointStream stream;
        private final Map<TopicPartition, Long> next = new HashMap<>();

        Session(Consumer<byte[], byte[]> consumer) throws Exception {
            if (published == null) {
                published = readBack();
            }
            this.consumer = consumer;
            this.producer = new KafkaProducer<>(KafkaSettings.producer(config.bootstrapServers(), "evaluation-results"));
            try {
                this.stream = CheckpointStream.open(new CheckpointStream.Settings(Topics.CHECKPOINTS, config.workDir(),
                        config.maxCheckpointBytes(), config.stallTimeout(), "evaluation-service", config.verifier()),
                        new DeadLetterPublisher(producer), this);
            } catch (IOException | RuntimeException e) {
                producer.close();
                throw e;
            }
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) throws Exception {
            if (!records.isEmpty()) {
                working = true;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                stream.accept(r);
                next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            }
            stream.expireStalled();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(stream.safeCommitOffset(tp.partition(), offset))));
            updateLag();
            boolean idle = records.isEmpty() && lag.get() == 0 && stream.inProgress() == 0;
            working = !idle;
            if (idle) {
                // nothing is waiting, not even the rest of a checkpoint whose first records came: the
                // offsets returned are those already committed
                runOneBaseline();
            }
            return offsets;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> {
                stream.forget(tp.partition());
                next.remove(tp);
            });
            assigned.addAndGet(-partitions.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> stream.forget(tp.partition()));
            assigned.addAndGet(partitions.size());
        }

        @Override
        public void close() {
            assigned.set(0);
            working = false;
            try {
                stream.close();
            } finally {
                producer.close();
            }
        }

        @Override
        public void deadLettered(DeadLetter letter) {
            registry.counter("realitycheck.evaluation.dead_letters", "reason", letter.getReason().name()).increment();
        }

        @Override
        public void failed(CheckpointManifest m) throws Exception {
            publish(producer, ErrorResults.of(m, "checkpoint " + m.getCheckpointId()
                    + " did not arrive whole and verified (see realitycheck.dead-letters)"));
        }

        @Override
        public void completed(AssembledCheckpoint checkpoint) throws Exception {
            registry.timer("realitycheck.evaluation.assemble").record(checkpoint.assembling());
            String id = checkpoint.manifest().getCheckpointId();
            if (published.contains(EvaluationIds.of(id, Split.SPLIT_VALIDATION))
                    && published.contains(EvaluationIds.of(id, Split.SPLIT_TEST))) {
                LOG.infof("checkpoint %s is already scored (its results are on the topic): not scored again", id);
                return;
            }
            long whole = System.nanoTime();
            com.google.protobuf.Duration download = HeldOutScorer.duration(checkpoint.assembling().toNanos());
            try {
                // each split's result is published as soon as it is computed (the test split first)
                scorer.score(checkpoint.manifest(), checkpoint.packedModel(), result -> {
                    long handed = System.nanoTime();
                    long computed = Timestamps.toNanos(result.getEvaluatedAt());
                    java.time.Instant at = java.time.Instant.now();
                    long now = at.getEpochSecond() * 1_000_000_000L + at.getNano();
                    try {
                        publishTimed(producer, List.of(result.toBuilder().setTimings(result.getTimings().toBuilder()
                                .setDownload(download)
                                .setPublish(HeldOutScorer.duration(Math.max(0, now - computed)))
                                .setCheckpointToPublish(HeldOutScorer.duration(handed - whole))).build()));
                    } catch (Exception e) {
                        throw new PublishFailed(e);
                    }
                });
            } catch (PublishFailed e) {
                throw e.getCause(); // not the checkpoint's fault: the loop's failure policy, nothing dead-lettered
            } catch (Exception e) {
                String reason = "checkpoint " + checkpoint.manifest().getCheckpointId() + " could not be evaluated: " + e;
                stream.reject(checkpoint, reason);
                publishTimed(producer, ErrorResults.of(checkpoint.manifest(), reason)); // a split published before is skipped
            }
            List<Baselines.Task> tasks = baselines.tasksFor(checkpoint.manifest());
            if (!tasks.isEmpty()) {
                baselineQueue.addAll(tasks);
                LOG.infof("baselines queued after checkpoint %s (scored when no checkpoint waits): %s",
                        checkpoint.manifest().getCheckpointId(), tasks);
            }
        }

        /** A result that could not be published (the broker's problem, not the checkpoint's). */
        private static final class PublishFailed extends Exception {
            PublishFailed(Exception cause) {
                super(cause);
            }

            @Override
            public synchronized Exception getCause() {
                return (Exception) super.getCause();
            }
        }

        /** Publishes, recording the time on the {@code realitycheck.evaluation.publish} timer. */
        private void publishTimed(Producer<String, byte[]> producer, List<EvaluationResult> results) throws Exception {
            long publishStart = System.nanoTime();
            publish(producer, results);
            registry.timer("realitycheck.evaluation.publish").record(System.nanoTime() - publishStart,
                    TimeUnit.NANOSECONDS);
        }

        /** Runs the oldest queued baseline task and publishes its results. */
        private void runOneBaseline() throws Exception {
            Baselines.Task task = baselineQueue.pollFirst();
            if (task == null) {
                return;
            }
            long start = System.nanoTime();
            List<EvaluationResult> results;
            try {
                results = baselines.run(task);
            } catch (Exception e) {
                LOG.warnf("baseline %s failed: %s", task, e);
                return;
            }
            try {
                publish(producer, results);
            } catch (Exception e) {
                baselineQueue.addFirst(task); // not acknowledged: run it again with the next consumer
                throw e;
            }
            LOG.infof("baseline %s published in %.1f s (baseline tasks left: %d)", task, (System.nanoTime() - start) / 1e9,
                    baselineQueue.size());
        }

        private void updateLag() {
            long total = 0;
            for (TopicPartition tp : consumer.assignment()) {
                total += consumer.currentLag(tp).orElse(0);
            }
            lag.set(total);
        }
    }

    private void publish(Producer<String, byte[]> producer, List<EvaluationResult> results) throws Exception {
        for (EvaluationResult result : results) {
            if (published.contains(result.getEvaluationId())) {
                LOG.infof("evaluation %s is on the topic already: not published again", result.getEvaluationId());
                continue;
            }
            producer.send(ResultRecords.of(result, config.signer())).get(60, TimeUnit.SECONDS);
            published.add(result.getEvaluationId());
            if (result.hasMetrics() && result.getMetrics().hasMeanAveragePrecisionAtR()) {
                String split = result.getSplit() == dev.realitycheck.proto.v1.Split.SPLIT_TEST ? "test" : "validation";
                latestMapAtR.computeIfAbsent(result.getRunId() + "/" + split, key -> {
                    double[] holder = new double[1];
                    registry.gauge("realitycheck.evaluation.map_at_r",
                            io.micrometer.core.instrument.Tags.of("run", result.getRunId(), "split", split), holder, h -> h[0]);
                    return holder;
                })[0] = result.getMetrics().getMeanAveragePrecisionAtR();
            }
            LOG.infof("evaluation %s: %s", result.getEvaluationId(), result.getError().isEmpty()
                    ? String.format("MAP@R %.4f", result.getMetrics().getMeanAveragePrecisionAtR()) : result.getError());
        }
    }
}
