package dev.realitycheck.evaluation;

import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.transport.AssembledCheckpoint;
import dev.realitycheck.transport.CheckpointAssembler;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The evaluation loop: consumes {@code realitycheck.checkpoints} in a consumer group, reassembles
 * each checkpoint ({@link CheckpointAssembler}), scores it on validation and test classes, and
 * publishes one {@code EvaluationResult} per split on {@code realitycheck.evaluations} (key = run id).
 *
 * <p>At-least-once: offsets are committed only after the results (or dead letters) are acknowledged,
 * and never past a checkpoint still being assembled; evaluation ids are deterministic, so work
 * repeated after a crash gives the same records. Any failure (broker gone, publish not acknowledged)
 * drops the consumer and starts again from the committed offsets. A plain class (no CDI), so tests
 * can run, kill and restart it against a real broker; {@link CheckpointPipeline} runs it in the service.
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
     */
    public record Settings(String bootstrapServers, String consumerGroup, Path workDir, long maxCheckpointBytes,
                           Duration stallTimeout, int topicPartitions, short topicReplication) {
    }

    /** Reference results to publish before a dataset's first checkpoint (empty once produced). */
    @FunctionalInterface
    public interface BaselineSource {
        List<EvaluationResult> forDatasetOf(CheckpointManifest checkpoint) throws Exception;
    }

    private final Settings config;
    private final CheckpointScorer scorer;
    private final BaselineSource baselines;
    private final MeterRegistry registry;
    private final String bootstrapServers;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private final AtomicLong lag = new AtomicLong();
    /** Latest MAP@R per (run, split), exported as gauges. */
    private final Map<String, double[]> latestMapAtR = new java.util.concurrent.ConcurrentHashMap<>();

    public EvaluationLoop(Settings settings, CheckpointScorer scorer, BaselineSource baselines, MeterRegistry registry) {
        this.config = settings;
        this.scorer = scorer;
        this.baselines = baselines;
        this.registry = registry;
        this.bootstrapServers = settings.bootstrapServers();
        registry.gauge("realitycheck.evaluation.consumer.lag", lag);
    }

    /** Starts consuming on a thread of its own. */
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "evaluation-loop");
        thread.setDaemon(true);
        thread.start();
    }

    /** True while the consuming thread lives (an Error kills it, as a crash would). */
    public boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Stops consuming (work in progress is abandoned, not committed) and waits up to 30 s. */
    @Override
    public synchronized void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private void run() {
        try {
            loop();
        } catch (Error e) {
            // nothing is committed past unfinished work, so another replica (or a restart) redoes it
            LOG.errorf(e, "evaluation loop died; uncommitted work will be redone by the next consumer");
        }
    }

    private void loop() {
        long backoff = 500;
        while (running) {
            try {
                ensureTopics();
                consume();
                backoff = 500;
            } catch (WakeupException e) {
                // stopping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                LOG.warnf("evaluation loop restarts from the committed offsets after: %s", e.toString());
                sleepQuietly(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void ensureTopics() throws Exception {
        try (Admin admin = TopicAdmin.admin(bootstrapServers)) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, config.topicPartitions(), config.topicReplication());
        }
    }

    private void consume() throws Exception {
        Properties props = KafkaSettings.consumer(bootstrapServers, config.consumerGroup(), "evaluation-checkpoints");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString((int) Duration.ofMinutes(30).toMillis()));
        Files.createDirectories(config.workDir());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props);
             Producer<String, byte[]> producer = new KafkaProducer<>(
                     KafkaSettings.producer(bootstrapServers, "evaluation-results"));
             CheckpointAssembler assembler = new CheckpointAssembler(config.workDir(), config.maxCheckpointBytes(),
                     16, config.stallTimeout(), "evaluation-service", Clock.systemUTC())) {
            consumer = c;
            DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer);
            Map<TopicPartition, Long> next = new HashMap<>();
            c.subscribe(List.of(Topics.CHECKPOINTS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> {
                        assembler.forget(tp.partition());
                        next.remove(tp);
                    });
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> assembler.forget(tp.partition()));
                }
            });
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(assembler.accept(r.topic(), r.partition(), r.offset(), r.key(), r.value()), producer, deadLetters);
                    next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
                handle(assembler.expireStalled(Topics.CHECKPOINTS), producer, deadLetters);
                commit(c, assembler, next);
                updateLag(c);
            }
        } finally {
            consumer = null;
        }
    }

    private void handle(CheckpointAssembler.Outcome outcome, Producer<String, byte[]> producer,
                        DeadLetterPublisher deadLetters) throws Exception {
        for (DeadLetter d : outcome.rejected()) {
            deadLetters.publish(d);
            registry.counter("realitycheck.evaluation.dead_letters", "reason", d.getReason().name()).increment();
        }
        for (CheckpointManifest m : outcome.failed()) {
            publish(producer, ErrorResults.of(m, "checkpoint " + m.getCheckpointId()
                    + " did not arrive whole and verified (see realitycheck.dead-letters)"));
        }
        for (AssembledCheckpoint checkpoint : outcome.completed()) {
            try (checkpoint) {
                try {
                    publish(producer, baselines.forDatasetOf(checkpoint.manifest()));
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw e; // not acknowledged: start again from the committed offsets
                } catch (Exception e) {
                    LOG.warnf("baselines for dataset '%s' failed: %s", checkpoint.manifest().getDataset().getName(), e);
                }
                registry.timer("realitycheck.evaluation.assemble").record(checkpoint.assembling());
                List<EvaluationResult> results;
                try {
                    results = scorer.score(checkpoint.manifest(), checkpoint.packedModel());
                } catch (Exception e) {
                    String reason = "checkpoint " + checkpoint.manifest().getCheckpointId() + " could not be evaluated: " + e;
                    deadLetters.publish(DeadLetter.newBuilder()
                            .setSourceTopic(Topics.CHECKPOINTS).setPartition(checkpoint.partition())
                            .setOffset(checkpoint.firstOffset())
                            .setKey(com.google.protobuf.ByteString.copyFrom(checkpoint.manifest().getCheckpointId(),
                                    StandardCharsets.UTF_8))
                            .setReason(DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED)
                            .setMessage(reason).setConsumer("evaluation-service").build());
                    registry.counter("realitycheck.evaluation.dead_letters", "reason",
                            DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED.name()).increment();
                    results = ErrorResults.of(checkpoint.manifest(), reason);
                }
                long publishStart = System.nanoTime();
                publish(producer, results);
                registry.timer("realitycheck.evaluation.publish").record(System.nanoTime() - publishStart,
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    private void publish(Producer<String, byte[]> producer, List<EvaluationResult> results) throws Exception {
        for (EvaluationResult result : results) {
            producer.send(new ProducerRecord<>(Topics.EVALUATIONS, result.getRunId(), result.toByteArray()))
                    .get(60, TimeUnit.SECONDS);
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

    private static void commit(KafkaConsumer<byte[], byte[]> c, CheckpointAssembler assembler,
                               Map<TopicPartition, Long> next) {
        if (next.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(assembler.safeCommitOffset(tp.partition(), offset))));
        c.commitSync(offsets, Duration.ofSeconds(30));
    }

    private void updateLag(KafkaConsumer<byte[], byte[]> c) {
        long total = 0;
        for (TopicPartition tp : c.assignment()) {
            total += c.currentLag(tp).orElse(0);
        }
        lag.set(total);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
