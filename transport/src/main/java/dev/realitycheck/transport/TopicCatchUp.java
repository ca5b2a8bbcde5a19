package dev.realitycheck.transport;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads assigned partitions up to their end as of now, within a bound: how a component rebuilds its
 * state from a topic before it decides anything (the search coordinator from the runs and run-events
 * topics, a trainer pod from the training states of a run it resumes). The consumer's own positions
 * are the start (seek first, e.g. to the beginning); records written after the call began may or may
 * not be read. The one copy of this loop; a continuous consumer is a {@link ConsumerLoop}.
 */
public final class TopicCatchUp {

    /**
     * What is done with each record read.
     *
     * @param <E> what it may throw
     */
    @FunctionalInterface
    public interface RecordHandler<E extends Exception> {
        /** Handles one record; throwing ends the catch-up with that exception. */
        void accept(ConsumerRecord<byte[], byte[]> record) throws E;
    }

    private TopicCatchUp() {
    }

    /**
     * Reads every partition of {@code topic} from the beginning to its end as of now, with a consumer
     * of its own (no group): what a service reads back on start (its dead letters, its published results).
     *
     * @return how many records were read
     * @throws TimeoutException if the end was not reached within {@code timeout}
     * @throws E                what {@code handler} threw
     */
    public static <E extends Exception> long readTopic(String bootstrapServers, String clientId, String topic,
                                                       Duration timeout, RecordHandler<E> handler)
            throws TimeoutException, E {
        try (Consumer<byte[], byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                KafkaSettings.consumer(bootstrapServers, null, clientId))) {
            List<TopicPartition> partitions = ConsumerLoop.assignAllFromBeginning(consumer, List.of(topic));
            return readToEnd(consumer, partitions, timeout, Duration.ofMillis(200), handler);
        }
    }

    /**
     * @param consumer    a consumer with {@code partitions} assigned and positioned
     * @param partitions  the partitions to read to their end
     * @param timeout     the longest the whole catch-up may take
     * @param pollTimeout the longest one poll waits
     * @param handler     gets every record read, in each partition's order
     * @param <E>         what {@code handler} may throw
     * @return how many records were read
     * @throws TimeoutException if the end was not reached within {@code timeout} (the message names the
     *                          partitions still behind)
     * @throws E                what {@code handler} threw
     */
    public static <E extends Exception> long readToEnd(Consumer<byte[], byte[]> consumer,
                                                       Collection<TopicPartition> partitions, Duration timeout,
                                                       Duration pollTimeout, RecordHandler<E> handler)
            throws TimeoutException, E {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        long read = 0;
        while (true) {
            List<TopicPartition> behind = end.entrySet().stream()
                    .filter(e -> consumer.position(e.getKey()) < e.getValue()).map(Map.Entry::getKey).toList();
            if (behind.isEmpty()) {
                return read;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("could not read " + behind + " to their end within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
                handler.accept(r);
                read++;
            }
        }
    }
}
