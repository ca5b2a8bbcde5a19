package dev.realitycheck.transport;

import dev.realitycheck.proto.v1.DeadLetter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends rejected records to {@link Topics#DEAD_LETTERS} (key = the rejected record's key) with a
 * WARN log line carrying the same message, and waits for the acknowledgement so a consumer commits
 * past a bad record only once it is safely parked.
 *
 * <p>Once per offending record: a consumer that reads its topics from the beginning on every start
 * (no committed offsets) passes the letters it parked before ({@link #parkedBy}, read back from the
 * dead-letter topic), and a letter for a record already parked (same source topic, partition, offset
 * and reason) is not written again.
 */
public final class DeadLetterPublisher {

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    /** What was parked already (see {@link #identity}); null: every letter is written. */
    private final java.util.Set<String> parked;

    public DeadLetterPublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
        this.parked = null;
    }

    public DeadLetterPublisher(Producer<String, byte[]> producer) {
        this(producer, Topics.DEAD_LETTERS);
    }

    /**
     * A publisher on {@link Topics#DEAD_LETTERS} that writes each offending record's letter once.
     *
     * @param parked what was parked already ({@link #parkedBy}); shared by the consumer's sessions, and
     *               what this publisher parks is added to it
     */
    public DeadLetterPublisher(Producer<String, byte[]> producer, java.util.Set<String> parked) {
        this.producer = producer;
        this.topic = Topics.DEAD_LETTERS;
        this.parked = java.util.Objects.requireNonNull(parked, "parked");
    }

    /**
     * The letters {@code consumer} parked on {@link Topics#DEAD_LETTERS} so far (as {@link #identity}),
     * read from the beginning to the end as of now; a concurrent set to pass to the publisher.
     */
    public static java.util.Set<String> parkedBy(String bootstrapServers, String consumer, java.time.Duration timeout)
            throws java.util.concurrent.TimeoutException {
        java.util.Set<String> parked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TopicCatchUp.readTopic(bootstrapServers, consumer + "-parked-letters", Topics.DEAD_LETTERS, timeout, r -> {
            try {
                DeadLetter letter = DeadLetter.parseFrom(r.value());
                if (letter.getConsumer().equals(consumer)) {
                    parked.add(identity(letter));
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                LOG.debugf("not a dead letter at %s[%d]@%d", r.topic(), r.partition(), r.offset());
            }
        });
        return parked;
    }

    /** What makes two letters the same: the rejected record (topic, partition, offset) and the reason. */
    public static String identity(DeadLetter letter) {
        return letter.getSourceTopic() + "/" + letter.getPartition() + "@" + letter.getOffset() + ":" + letter.getReason();
    }

    /**
     * Logs and publishes (unless this record's letter was parked before, see above); throws if the
     * broker does not acknowledge within 30 s.
     */
    public void publish(DeadLetter letter) {
        if (parked != null && parked.contains(identity(letter))) {
            LOG.debugf("dead letter of %s already parked: not written again", identity(letter));
            return;
        }
        LOG.warnf("dead letter (%s) from %s[%d]@%d: %s", letter.getReason(), letter.getSourceTopic(),
                letter.getPartition(), letter.getOffset(), letter.getMessage());
        try {
            producer.send(new ProducerRecord<>(topic, letter.getKey().toStringUtf8(), letter.toByteArray()))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a dead letter", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("dead letter not acknowledged: " + e, e);
        }
        if (parked != null) {
            parked.add(identity(letter));
        }
    }
}
