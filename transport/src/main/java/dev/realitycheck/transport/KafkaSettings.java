package dev.realitycheck.transport;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client settings every service uses: UTF-8 string keys, protobuf bytes as values; plus the
 * deployment's TLS/SASL settings ({@link KafkaClientOverrides}).
 */
public final class KafkaSettings {

    private KafkaSettings() {
    }

    /**
     * Idempotent, acks=all: retries can neither duplicate nor reorder records (chunks stay in order).
     * One request in flight per connection: with several, a first request to a partition the broker
     * has just created can fail (NOT_LEADER_OR_FOLLOWER) while the next one is appended, and the
     * retried first one then fails OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout expires
     * and its records are lost (a broker defect, KAFKA-15591; seen here in tests that publish right
     * after creating their topics).
     */
    public static Properties producer(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return KafkaClientOverrides.applyTo(p);
    }

    /** Manual commits (after the work is published), from the earliest offset for a new group. */
    public static Properties consumer(String bootstrapServers, String groupId, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // keys as raw bytes: a dead letter must carry a malformed key unchanged
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return KafkaClientOverrides.applyTo(p);
    }
}
