package dev.realitycheck.embedding;

import dev.realitycheck.testsupport.BrokerTestProfile;
import java.util.Map;

/**
 * The whole service following a real broker under the {@code best} policy, with a queue so small
 * (64 items) that one request of 100 items cannot fit, and per-request limit 128 items.
 */
public class PipelineTestProfile extends BrokerTestProfile {

    public PipelineTestProfile() {
        super(Map.of("realitycheck.embedding.follow-checkpoints", "true",
                "realitycheck.embedding.policy", "best",
                "realitycheck.embedding.topic-partitions", "2",
                "realitycheck.embedding.queue-capacity", "64",
                "realitycheck.embedding.max-request-items", "128"));
    }
}
