package dev.realitycheck.trainer;

import dev.realitycheck.testsupport.BrokerTestProfile;
import dev.realitycheck.testsupport.TinyDatasetResource;
import java.util.Map;

/** The whole service with its trainer loop on: a real broker, and the tiny dataset as dataset "tiny". */
public class PipelineTestProfile extends BrokerTestProfile {

    public PipelineTestProfile() {
        super(Map.of("realitycheck.trainer.consume-runs", "true",
                "realitycheck.trainer.follow-run-events", "true",
                "realitycheck.trainer.topic-partitions", "2",
                "realitycheck.trainer.publish-timeout", "PT30S",
                "realitycheck.trainer.intra-op-threads", "1",
                "realitycheck.trainer.inter-op-threads", "1"),
                TinyDatasetResource.entry("realitycheck.trainer", Specs.SIDE, "tiny"));
    }
}
