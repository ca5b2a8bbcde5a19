package dev.realitycheck.trainer;

import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.testsupport.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The whole service with its trainer loop on: a real broker, and the tiny dataset as dataset "tiny". */
public class PipelineTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("realitycheck.trainer.consume-runs", "true",
                "realitycheck.trainer.follow-run-events", "true",
                "realitycheck.trainer.topic-partitions", "2",
                "realitycheck.trainer.publish-timeout", "PT30S",
                "realitycheck.trainer.intra-op-threads", "1",
                "realitycheck.trainer.inter-op-threads", "1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerTestResource.class), new TestResourceEntry(TinyDatasetResource.class));
    }

    /** Writes the tiny IDX dataset before Quarkus boots and points dataset "tiny" and the work dir at it. */
    public static class TinyDatasetResource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                Path dir = TinyDataset.write(Files.createTempDirectory("tiny-trainer"), 10, 14, Specs.SIDE, 3);
                return Map.of("realitycheck.trainer.datasets.\"tiny\"", dir.toString(),
                        "realitycheck.trainer.work-dir", dir.resolve("work").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            // a few KB in the temp directory
        }
    }
}
