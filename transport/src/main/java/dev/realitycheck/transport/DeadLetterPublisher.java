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
 */
public final class DeadLetterPublisher {

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;

    public DeadLetterPublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public DeadLetterPublisher(Producer<String, byte[]> producer) {
        this(producer, Topics.DEAD_LETTERS);
    }

    /** Logs and publishes; throws if the broker does not acknowledge within 30 s. */
    public void publish(DeadLetter letter) {
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
    }
}
