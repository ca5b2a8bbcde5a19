package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class GroupProtocolsTest {

    @Test
    void aKafka4ClusterOffersTheConsumerProtocolAndAClusterWithoutItGetsTheClassicOne(LocalKafkaBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        Properties props = GroupProtocols.useBest(KafkaSettings.consumer(bootstrap, "g-new", "test"), bootstrap);
        assertThat(props.getProperty(ConsumerConfig.GROUP_PROTOCOL_CONFIG)).isEqualTo("consumer");
        assertThat(props).doesNotContainKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);

        // the same broker without the feature: as a Kafka 3.x cluster answers
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            admin.updateFeatures(Map.of(GroupProtocols.FEATURE,
                            new FeatureUpdate((short) 0, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                    new UpdateFeaturesOptions()).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> GroupProtocols.offered(admin) == GroupProtocol.CLASSIC);
            TopicAdmin.ensureTopics(admin, List.of("group-protocols"), 1, (short) 1);
        }
        Properties classic = GroupProtocols.useBest(KafkaSettings.consumer(bootstrap, "g-old", "test"), bootstrap);
        assertThat(classic.getProperty(ConsumerConfig.GROUP_PROTOCOL_CONFIG)).isEqualTo("classic");
        assertThat(classic.getProperty(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG))
                .isEqualTo(CooperativeStickyAssignor.class.getName());

        // and a group with those settings works on it
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test"))) {
            producer.send(new ProducerRecord<>("group-protocols", "k", "v".getBytes(StandardCharsets.UTF_8))).get();
        }
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(classic)) {
            consumer.subscribe(List.of("group-protocols"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
            });
        }
        assertThat(new String(got.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("v");
    }
}
