package dev.realitycheck.trainer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Follows {@code realitycheck.run-events} and {@code realitycheck.experiments} from the beginning
 * with a consumer of its own (no group: every pod reads everything) and applies each record to the
 * {@link RunStore}, so every pod knows every run and experiment whichever pod started or trains it.
 * A record that is not a {@code RunEvent} / {@code ExperimentRecord} goes to the dead-letter topic
 * with a log line. A plain class with its own thread; restarts from the beginning after a failure
 * (applying events again is harmless: the latest event per run wins).
 */
public final class RunEventFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunEventFollower.class);

    private final String bootstrapServers;
    private final String eventsTopic;
    private final String experimentsTopic;
    private final RunStore store;
    private final int partitions;
    private final short replication;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

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
        this.partitions = partitions;
        this.replication = replication;
        this.bootstrapServers = bootstrapServers;
        this.eventsTopic = eventsTopic;
        this.experimentsTopic = experimentsTopic;
        this.store = store;
    }

    /** Starts following on a thread of its own. */
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "trainer-run-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the records present when following began are applied; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

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
        long backoff = 500;
        while (running) {
            try {
                follow();
            } catch (WakeupException e) {
                // stopping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("run-event follower restarts from the beginning after: %s", e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void follow() throws Exception {
        try (Admin admin = TopicAdmin.admin(bootstrapServers)) {
            TopicAdmin.ensureTopics(admin, List.of(eventsTopic), partitions, replication);
            TopicAdmin.ensureTopics(admin, List.of(experimentsTopic), 1, replication);
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                KafkaSettings.consumer(bootstrapServers, null, "trainer-run-events-" + store.reporter()));
             Producer<String, byte[]> producer = new KafkaProducer<>(
                     KafkaSettings.producer(bootstrapServers, "trainer-run-events-dead-letters"))) {
            consumer = c;
            DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(eventsTopic, experimentsTopic)) {
                c.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            var end = c.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    apply(r, deadLetters);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } finally {
            consumer = null;
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
            Instant now = Instant.now();
            DeadLetter.Builder letter = DeadLetter.newBuilder().setSourceTopic(r.topic()).setPartition(r.partition())
                    .setOffset(r.offset()).setReason(DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE)
                    .setMessage(message).setConsumer("trainer-service/" + store.reporter())
                    .setRejectedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
            if (r.key() != null) {
                letter.setKey(com.google.protobuf.ByteString.copyFrom(r.key()));
            }
            if (r.value() != null) {
                letter.setOriginalValue(com.google.protobuf.ByteString.copyFrom(r.value()));
            }
            deadLetters.publish(letter.build());
        }
    }
}
