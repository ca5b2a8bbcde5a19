package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The topics {@link TopicAdmin#ensureTopics} creates on a real broker carry their {@link TopicSpec}. */
@ExtendWith(KafkaBrokerExtension.class)
class TopicRetentionTest {

    @Test
    void everyTopicIsCreatedWithItsExplicitRetentionAndPolicy(LocalKafkaBroker broker) throws Exception {
        try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 3, (short) 1);
            TopicAdmin.ensureTopics(admin, List.of("retention-other"), 2, (short) 1);
            // created on the controller; the broker's metadata may follow a moment later
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertCreatedAsSpecified(admin));
        }
    }

    private static void assertCreatedAsSpecified(Admin admin) throws Exception {
        List<ConfigResource> resources = Topics.ALL.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> described = admin.describeConfigs(resources).all().get(5, TimeUnit.SECONDS);
        Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames().get(5, TimeUnit.SECONDS);
        for (TopicSpec spec : TopicSpec.ALL) {
            Map<String, ConfigEntry> set = described.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
                    .entries().stream().filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                    .collect(Collectors.toMap(ConfigEntry::name, e -> e));
            assertThat(set.keySet()).as(spec.name()).containsExactlyInAnyOrderElementsOf(spec.configs().keySet());
            spec.configs().forEach((k, v) -> assertThat(set.get(k).value()).as(spec.name() + " " + k).isEqualTo(v));
            assertThat(topics.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions(3));
        }
        assertThat(topics.get(Topics.EXPERIMENTS).partitions()).hasSize(1);

        Config other = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "retention-other")))
                .all().get(5, TimeUnit.SECONDS).values().iterator().next();
        assertThat(other.entries()).as("a topic outside Topics.ALL keeps the broker's defaults")
                .noneMatch(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    @Test
    void everyTopicHasOneSpecWithAnExplicitRetentionOrCompaction() {
        assertThat(TopicSpec.ALL).extracting(TopicSpec::name).containsExactlyElementsOf(Topics.ALL);
        assertThat(TopicSpec.ALL).allMatch(s -> s.configs().containsKey("retention.ms")
                || "compact".equals(s.configs().get("cleanup.policy")));
        assertThat(TopicSpec.of(Topics.EVALUATIONS).orElseThrow().configs()).containsEntry("retention.ms", "-1");
        assertThat(TopicSpec.of(Topics.DEAD_LETTERS).orElseThrow().configs()).containsEntry("retention.ms", "1209600000");
        assertThat(TopicSpec.of("elsewhere")).isEmpty();
        assertThatThrownBy(() -> new TopicSpec(" ", false, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
