package dev.realitycheck.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Builds {@link DeadLetter}s: the one place where a rejected record (or a rejected checkpoint, which
 * spans many records) becomes the proto that {@link DeadLetterPublisher} parks on
 * {@link Topics#DEAD_LETTERS}. The record's key and value travel unchanged (empty when absent), and
 * every letter names the rejecting consumer and carries the time of rejection.
 *
 * @param consumer the rejecting service (and group), written into every letter, e.g. "evaluation-service"
 * @param clock    the time of rejection
 */
public record DeadLetterFactory(String consumer, Clock clock) {

    /** Checks that the letters will name their consumer. */
    public DeadLetterFactory {
        if (consumer == null || consumer.isBlank()) {
            throw new IllegalArgumentException("consumer must name the rejecting consumer, was '" + consumer + "'");
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** Letters stamped with the UTC system clock. */
    public DeadLetterFactory(String consumer) {
        this(consumer, Clock.systemUTC());
    }

    /** The dead letter of one consumed record. */
    public DeadLetter of(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String message) {
        return of(record.topic(), record.partition(), record.offset(), record.key(), record.value(), reason, message);
    }

    /**
     * The dead letter of a record given by its coordinates (or of a whole checkpoint: then its key
     * is the checkpoint id, its offset the manifest's, and {@code value} null).
     */
    public DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value, DeadLetterReason reason,
                         String message) {
        Instant now = clock.instant();
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? ByteString.EMPTY : ByteString.copyFrom(key))
                .setReason(reason)
                .setMessage(message)
                .setOriginalValue(value == null ? ByteString.EMPTY : ByteString.copyFrom(value))
                .setConsumer(consumer)
                .setRejectedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
    }
}
