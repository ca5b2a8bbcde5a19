package dev.realitycheck.trainer;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads {@code realitycheck.checkpoints} from the beginning in a test, for at most 60 seconds. */
final class CheckpointTopic {

    /** What a test does with one record. */
    @FunctionalInterface
    interface RecordHandler {
        void accept(ConsumerRecord<byte[], byte[]> record) throws Exception;
    }

    private CheckpointTopic() {
    }

    /**
     * @param broker the broker
     * @param group  the consumer's group id
     * @param done   true once the test has what it needs
     * @param each   gets every record, in partition order
     */
    static void read(LocalKafkaBroker broker, String group, BooleanSupplier done, RecordHandler each) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(broker.bootstrapServers(), null, group))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHECKPOINTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(r);
                }
            }
        }
    }
}
