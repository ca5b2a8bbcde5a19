package dev.realitycheck.embedding.serving;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.transport.AssembledCheckpoint;
import dev.realitycheck.transport.CheckpointAssembler;
import dev.realitycheck.transport.CheckpointStream;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.DeadLetterFactory;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.RecordSignatures;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Properties;
import java.util.UUID;
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
 * Follows {@code realitycheck.checkpoints} and {@code realitycheck.evaluations} for one replica and
 * feeds its {@link ModelRegistry}.
 *
 * <p>Every replica must load every checkpoint, so there is no consumer group: the consumer assigns
 * itself every partition of both topics and reads them from the beginning (nothing is committed).
 * Checkpoints are reassembled with bounded memory ({@link CheckpointAssembler}); anything incomplete,
 * corrupt or unloadable goes to {@code realitycheck.dead-letters} with a log line and the service stays
 * up (each replica reports what it rejects). It runs on a {@link ConsumerLoop} (all partitions from
 * the beginning) through a {@link CheckpointStream}: any failure, an {@code Error} included, drops
 * the consumer and starts again from the beginning after a backoff; checkpoints already loaded are
 * skipped. A plain class (no CDI), run by {@link ModelFollowerLifecycle}.
 *
 * <p>With a verifier ({@link Settings#verifier}) a checkpoint manifest or an evaluation result not
 * signed by a trusted key ({@link RecordSignatures}) is dead-lettered (reason {@code SIGNATURE}) and
 * never served nor counted. Each offending record is dead-lettered once, although every start reads
 * the topics again: the first consumer reads back what this service parked before
 * ({@link DeadLetterPublisher#parkedBy}).
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
     * @param verifier           checks manifests' and results' signatures; null: every record is believed
     */
    public record Settings(String bootstrapServers, String clientId, Path workDir, long maxCheckpointBytes,
                           Duration stallTimeout, int topicPartitions, short topicReplication,
                           RecordSignatures.Verifier verifier) {

        /** Settings that verify no signature. */
        public Settings(String bootstrapServers, String clientId, Path workDir, long maxCheckpointBytes,
                        Duration stallTimeout, int topicPartitions, short topicReplication) {
            this(bootstrapServers, clientId, workDir, maxCheckpointBytes, stallTimeout, topicPartitions,
                    topicReplication, null);
        }
    }

    /** The consumer named in this service's dead letters. */
    static final String CONSUMER = "embedding-service";

    private final Settings settings;
    private final ModelRegistry registry;
    private final MeterRegistry meters;
    private final ConsumerLoop loop;
    private final DeadLetterFactory letters = new DeadLetterFactory(CONSUMER);
    /** Dead letters parked so far (read back by the first consumer): each is written once. */
    private volatile Set<String> parked;

    public ModelFollower(Settings settings, ModelRegistry registry, MeterRegistry meters) {
        this.settings = settings;
        this.registry = registry;
        this.meters = meters;
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.allPartitions("embedding-model-follower",
                List.of(Topics.CHECKPOINTS, Topics.EVALUATIONS)), this::newConsumer,
                ConsumerLoop.TopicSetup.create(settings.bootstrapServers(), Topics.ALL, settings.topicPartitions(),
                        settings.topicReplication()), Session::new);
    }

    /** A client id unique to this replica: the prefix plus a random suffix. */
    public static String replicaClientId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts following on a thread of its own. */
    public void start() {
        loop.start();
    }

    /** Stops following and waits up to 30 s. */
    @Override
    public void close() throws InterruptedException {
        loop.close();
        try {
            Files.deleteIfExists(settings.workDir()); // empty once the assembler has closed
        } catch (java.io.IOException e) {
            LOG.debugf("work directory %s left behind: %s", settings.workDir(), e);
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Properties props = KafkaSettings.consumer(settings.bootstrapServers(), null, settings.clientId());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        return new KafkaConsumer<>(props);
    }

    /** One consumer's work: checkpoints through a {@link CheckpointStream} into the registry, evaluations beside. */
    private final class Session implements ConsumerLoop.Session, CheckpointStream.Sink {
        private final Producer<String, byte[]> producer;
        private final CheckpointStream stream;

        private final DeadLetterPublisher deadLetters;

        Session(Consumer<byte[], byte[]> consumer) throws Exception {
            if (parked == null) {
                parked = DeadLetterPublisher.parkedBy(settings.bootstrapServers(), CONSUMER, Duration.ofSeconds(30));
            }
            this.producer = new KafkaProducer<>(
                    KafkaSettings.producer(settings.bootstrapServers(), settings.clientId() + "-dead-letters"));
            this.deadLetters = new DeadLetterPublisher(producer, parked);
            try {
                this.stream = CheckpointStream.open(new CheckpointStream.Settings(Topics.CHECKPOINTS, settings.workDir(),
                        settings.maxCheckpointBytes(), settings.stallTimeout(), CONSUMER, settings.verifier()),
                        deadLetters, this);
            } catch (IOException | RuntimeException e) {
                producer.close();
                throw e;
            }
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) throws Exception {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.topic().equals(Topics.EVALUATIONS)) {
                    Optional<String> bad = settings.verifier() == null ? Optional.empty() : settings.verifier().problem(r);
                    if (bad.isPresent()) {
                        DeadLetter letter = letters.of(r, DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE,
                                "evaluation result not accepted: " + bad.get());
                        deadLetters.publish(letter);
                        deadLettered(letter);
                    } else {
                        evaluation(r);
                    }
                } else {
                    stream.accept(r);
                }
            }
            stream.expireStalled();
            return Map.of(); // every replica reads from the beginning: nothing to commit
        }

        @Override
        public void completed(AssembledCheckpoint checkpoint) {
            try {
                registry.load(checkpoint.manifest(), checkpoint.packedModel(), checkpoint.brokerTimestamp());
            } catch (Exception e) {
                stream.reject(checkpoint, "checkpoint " + checkpoint.manifest().getCheckpointId()
                        + " could not be loaded for serving: " + e);
            }
        }

        @Override
        public void deadLettered(DeadLetter letter) {
            meters.counter("realitycheck.embedding.dead_letters", "reason", letter.getReason().name()).increment();
        }

        @Override
        public void close() {
            try {
                stream.close();
            } finally {
                producer.close();
            }
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
}
