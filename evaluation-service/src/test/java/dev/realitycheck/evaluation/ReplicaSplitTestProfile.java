package dev.realitycheck.evaluation;

import dev.realitycheck.testsupport.BrokerTestProfile;
import dev.realitycheck.testsupport.TinyDatasetResource;
import java.util.Map;

/** {@link PipelineTestProfile}'s service with splits of more than 10 queries scored across replicas in blocks of 8 (a worker reads a block's checkpoint for at most 2 minutes). */
public class ReplicaSplitTestProfile extends BrokerTestProfile {

    public ReplicaSplitTestProfile() {
        super(Map.of("realitycheck.evaluation.consume-checkpoints", "true",
                "realitycheck.evaluation.topic-partitions", "2",
                "realitycheck.evaluation.replicas.split-above", "10",
                "realitycheck.evaluation.replicas.block-size", "8",
                "realitycheck.evaluation.replicas.checkpoint-read-timeout", "PT2M"),
                TinyDatasetResource.entry("realitycheck.evaluation", PipelineFixture.SIDE, "tiny", "fashion-mnist"));
    }
}
