package dev.realitycheck.evaluation;

import dev.realitycheck.testsupport.BrokerTestProfile;
import dev.realitycheck.testsupport.TinyDatasetResource;
import java.util.Map;

/**
 * The whole service with its evaluation loop and its kNN warm-up on: a real broker, and the tiny
 * dataset as every dataset.
 */
public class PipelineTestProfile extends BrokerTestProfile {

    public PipelineTestProfile() {
        super(Map.of("realitycheck.evaluation.consume-checkpoints", "true",
                "realitycheck.evaluation.topic-partitions", "2", "realitycheck.evaluation.warm-up", "true"),
                TinyDatasetResource.entry("realitycheck.evaluation", PipelineFixture.SIDE, "tiny", "fashion-mnist"));
    }
}
