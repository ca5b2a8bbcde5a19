package dev.realitycheck.embedding;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Follows {@code realitycheck.checkpoints} and {@code realitycheck.evaluations} for one replica and
 * feeds its {@link ModelRegistry}.
 *
 * <p>Every replica must load every checkpoint, so there is no consumer group: the consumer assigns
 * itself every partition of both topics and reads them from the beginning (nothing is committed).
 * Checkpoints are reassembled with bounded memory ({@link CheckpointAssembler}); anything incomplete,
 * corrupt or unloadable goes to {@code realitycheck.dead-letters} with a log line and the service stays
 * up (each replica reports what it rejects). Any Kafka failure drops the consumer and starts again
 * from the beginning after a backoff; checkpoints already loaded are skipped. A plain class (no CDI),
 * run by {@link FollowerLifecycle}.
 */
public final class ModelFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelFollower.class);

    /**
     * @param bootstrapServers   Kafka bootstrap servers
     * @param clientId           client id of this replica's consumer
     * @param workDir            where checkpoints are reassembled
     * @param maxCheckpointBytes largest packed checkpoint accepted
     * @param stallTimeout       a checkpoint with no chunk for this long is incomplete
     * @param topicPartitions    partitions of topics created when missing
     * @param topicReplication   replication of topics created when missing
     */
    public record Settings(String bootstrapServers, String clientId, Path workDir, long maxCheckpointBytes,
                           Duration stallTimeout, int topicPartitions, short topicReplication) {
    }

    private final Settings settings;
    private final ModelRegistry registry;
    private final MeterRegistry meters;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public ModelFollower(Settings settings, ModelRegistry registry, MeterRegistry meters) {
        this.settings = settings;
        this.registry = registry;
        this.meters = meters;
    }

    /** A client id unique to this replica: the prefix plus a random suffix. */
    public static String replicaClientId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts following on a thread of its own. */
    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, "embedding-model-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops following and waits up to 30 s. */
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
        try {
            Files.deleteIfExists(settings.workDir()); // empty once the assembler has closed
        } catch (java.io.IOException e) {
            LOG.debugf("work directory %s left behind: %s", settings.workDir(), e);
        }
    }

    private void loop() {
        long backoff = 500;
        while (running) {
            try {
                try (Admin admin = TopicAdmin.admin(settings.bootstrapServers())) {
                    TopicAdmin.ensureTopics(admin, Topics.ALL, settings.topicPartitions(), settings.topicReplication());
                }
                follow();
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
                LOG.warnf("model follower starts again from the beginning after: %s", e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void follow() throws Exception {
        Properties props = KafkaSettings.consumer(settings.bootstrapServers(), null, settings.clientId());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        Files.createDirectories(settings.workDir());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props);
             Producer<String, byte[]> producer = new KafkaProducer<>(
                     KafkaSettings.producer(settings.bootstrapServers(), settings.clientId() + "-dead-letters"));
             CheckpointAssembler assembler = new CheckpointAssembler(settings.workDir(), settings.maxCheckpointBytes(),
                     16, settings.stallTimeout(), "embedding-service", Clock.systemUTC())) {
            consumer = c;
            DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.CHECKPOINTS, Topics.EVALUATIONS)) {
                for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            LOG.infof("following %s and %s from the beginning (%d partitions)", Topics.CHECKPOINTS, Topics.EVALUATIONS,
                    partitions.size());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(Topics.EVALUATIONS)) {
                        evaluation(r);
                    } else {
                        handle(assembler.accept(r.topic(), r.partition(), r.offset(), r.key(), r.value()), deadLetters);
                    }
                }
                handle(assembler.expireStalled(Topics.CHECKPOINTS), deadLetters);
            }
        } finally {
            consumer = null;
        }
    }

    private void evaluation(ConsumerRecord<byte[], byte[]> r) {
        try {
            registry.onEvaluation(EvaluationResult.parseFrom(r.value()));
        } catch (InvalidProtocolBufferException e) {
            // the evaluation-service owns this topic and its dead letters; skipping is enough here
            LOG.warnf("skipping an unparseable record at %s[%d]@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    private void handle(CheckpointAssembler.Outcome outcome, DeadLetterPublisher deadLetters) {
        for (DeadLetter d : outcome.rejected()) {
            deadLetters.publish(d);
            meters.counter("realitycheck.embedding.dead_letters", "reason", d.getReason().name()).increment();
        }
        for (AssembledCheckpoint checkpoint : outcome.completed()) {
            try (checkpoint) {
                registry.load(checkpoint.manifest(), checkpoint.packedModel());
            } catch (Exception e) {
                String id = checkpoint.manifest().getCheckpointId();
                deadLetters.publish(DeadLetter.newBuilder()
                        .setSourceTopic(Topics.CHECKPOINTS).setPartition(checkpoint.partition())
                        .setOffset(checkpoint.firstOffset())
                        .setKey(ByteString.copyFrom(id, StandardCharsets.UTF_8))
                        .setReason(DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED)
                        .setMessage("checkpoint " + id + " could not be loaded for serving: " + e)
                        .setConsumer("embedding-service").build());
                meters.counter("realitycheck.embedding.dead_letters", "reason",
                        DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED.name()).increment();
            }
        }
    }
}
