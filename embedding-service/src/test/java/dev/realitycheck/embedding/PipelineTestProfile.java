package dev.realitycheck.embedding;

import dev.realitycheck.testsupport.KafkaBrokerTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The whole service following a real broker under the {@code best} policy, with a queue so small
 * (64 items) that one request of 100 items cannot fit, and per-request limit 128 items.
 */
public class PipelineTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("realitycheck.embedding.follow-checkpoints", "true",
                "realitycheck.embedding.policy", "best",
                "realitycheck.embedding.topic-partitions", "2",
                "realitycheck.embedding.queue-capacity", "64",
                "realitycheck.embedding.max-request-items", "128");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerTestResource.class));
    }
}
