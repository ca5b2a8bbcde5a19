package dev.realitycheck.evaluation;

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

/** The whole service with its evaluation loop on: a real broker, and the tiny dataset as every dataset. */
public class PipelineTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("realitycheck.evaluation.consume-checkpoints", "true",
                "realitycheck.evaluation.topic-partitions", "2");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerTestResource.class), new TestResourceEntry(TinyDatasetResource.class));
    }

    /** Writes the tiny IDX dataset before Quarkus boots and points the dataset names at it. */
    public static class TinyDatasetResource implements QuarkusTestResourceLifecycleManager {

        static Path dir;

        @Override
        public Map<String, String> start() {
            try {
                dir = TinyDataset.write(Files.createTempDirectory("tiny-dataset"), 10, 14, PipelineFixture.SIDE, 3);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("realitycheck.evaluation.datasets.\"tiny\"", dir.toString(),
                    "realitycheck.evaluation.datasets.\"fashion-mnist\"", dir.toString(),
                    "realitycheck.evaluation.work-dir", dir.resolve("work").toString());
        }

        @Override
        public void stop() {
            // the temp directory holds a few KB; the JVM's temp cleanup is enough
        }
    }
}
