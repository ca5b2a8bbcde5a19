package dev.realitycheck.trainer.runs;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.DeadLetterFactory;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Follows {@code realitycheck.run-events} and {@code realitycheck.experiments} from the beginning
 * with a consumer of its own (no group: every pod reads everything) and applies each record to the
 * {@link RunStore}, so every pod knows every run and experiment whichever pod started or trains it.
 * A record that is not a {@code RunEvent} / {@code ExperimentRecord} goes to the dead-letter topic
 * with a log line. A plain class running a {@link ConsumerLoop} (all partitions from the beginning):
 * after any failure, an {@code Error} included, it starts again from the beginning after a backoff
 * (applying events again is harmless: the latest event per run wins).
 */
public final class RunEventFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunEventFollower.class);

    private final String bootstrapServers;
    private final String eventsTopic;
    private final RunStore store;
    private final DeadLetterFactory letters;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final ConsumerLoop loop;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param eventsTopic      {@link Topics#RUN_EVENTS} (another in tests)
     * @param experimentsTopic {@link Topics#EXPERIMENTS} (another in tests)
     * @param store            gets every record
     * @param partitions       partitions of the events topic when it has to be created
     * @param replication      replication of the topics when they have to be created
     */
    public RunEventFollower(String bootstrapServers, String eventsTopic, String experimentsTopic, RunStore store,
                            int partitions, short replication) {
        this.bootstrapServers = bootstrapServers;
        this.eventsTopic = eventsTopic;
        this.store = store;
        this.letters = new DeadLetterFactory("trainer-service/" + store.reporter());
        ConsumerLoop.TopicSetup topics = () -> {
            try (Admin admin = TopicAdmin.admin(bootstrapServers)) {
                TopicAdmin.ensureTopics(admin, List.of(eventsTopic), partitions, replication);
                TopicAdmin.ensureTopics(admin, List.of(experimentsTopic), 1, replication);
            }
        };
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.allPartitions("trainer-run-events",
                List.of(eventsTopic, experimentsTopic)), () -> new KafkaConsumer<>(
                KafkaSettings.consumer(bootstrapServers, null, "trainer-run-events-" + store.reporter())), topics,
                Session::new);
    }

    /** Starts following on a thread of its own. */
    public void start() {
        loop.start();
    }

    /** Waits until the records present when following began are applied; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops following and waits up to 30 s. */
    @Override
    public void close() throws InterruptedException {
        loop.close();
    }

    /** One consumer's work: apply every record, and tell when the topics' ends at the start are reached. */
    private final class Session implements ConsumerLoop.Session {
        private final Consumer<byte[], byte[]> consumer;
        private final Producer<String, byte[]> producer;
        private final DeadLetterPublisher deadLetters;
        private Map<TopicPartition, Long> end = Map.of();

        Session(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
            this.producer = new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, "trainer-run-events-dead-letters"));
            this.deadLetters = new DeadLetterPublisher(producer);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            end = consumer.endOffsets(partitions);
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                apply(r, deadLetters);
            }
            if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                caughtUp.countDown();
            }
            return Map.of(); // every pod reads from the beginning: nothing to commit
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r, DeadLetterPublisher deadLetters) {
        try {
            if (r.topic().equals(eventsTopic)) {
                store.apply(RunEvent.parseFrom(r.value()));
            } else {
                store.apply(ExperimentRecord.parseFrom(r.value()));
            }
        } catch (InvalidProtocolBufferException | NullPointerException e) {
            String message = "record of " + r.topic() + " (partition " + r.partition() + ", offset " + r.offset()
                    + ") is not a " + (r.topic().equals(eventsTopic) ? "RunEvent" : "ExperimentRecord") + ": " + e;
            LOG.error(message);
            deadLetters.publish(letters.of(r, DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE, message));
        }
    }
}
