package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.evaluation.replicas.BlockWorker;
import dev.realitycheck.evaluation.replicas.CheckpointInputs;
import dev.realitycheck.evaluation.replicas.ReplicaSplit;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.evaluation.scoring.SavedModelScorer;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.testsupport.InjectKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service with {@code realitycheck.evaluation.replicas.split-above} on, beside a second replica's
 * {@link BlockWorker} in this JVM (its inputs read from the checkpoints topic and embedded by
 * {@link CheckpointInputs} as any replica's): a checkpoint's published results carry exactly the
 * metrics of the single-process path (split off), bit for bit, both replicas scored blocks, and the
 * service's replica, which owns the evaluation, scored its blocks against its own embedding (embedded
 * once, not read back and embedded again).
 */
@QuarkusTest
@TestProfile(ReplicaSplitTestProfile.class)
class ReplicaSplitServiceTest {

    @InjectKafkaBroker
    LocalKafkaBroker broker;

    @Inject
    EvaluationConfig config;

    @Inject
    EvaluationDatasets datasets;

    @Inject
    ReplicaSplit replicas;

    @Test
    void aSplitScoredAcrossTwoReplicasPublishesTheSingleProcessMetrics() throws Exception {
        assertThat(config.replicas().checkpointReadTimeout()).as("the profile's checkpoint-read-timeout")
                .isEqualTo(Duration.ofMinutes(2));
        Path tmp = Files.createTempDirectory("replica-split");
        try (PipelineFixture fixture = new PipelineFixture(broker.bootstrapServers(), tmp)) {
            LabeledImages images = datasets.load(fixture.dataset());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            // the single-process path: split off, the service's metrics
            HeldOutScorer single = new HeldOutScorer(2, config.recallKs().stream().mapToInt(Integer::intValue).toArray(),
                    registry);
            SavedModelScorer scorer = new SavedModelScorer(m -> images, single, 64, registry);
            try (BlockWorker other = new BlockWorker(new BlockWorker.Settings(broker.bootstrapServers(),
                    config.replicas().consumerGroup(), "test-replica", config.topicPartitions(), config.topicReplication()),
                    single.evaluator(), new CheckpointInputs(new CheckpointInputs.Settings(broker.bootstrapServers(),
                    Files.createDirectories(tmp.resolve("other")), 1L << 30, config.replicas().checkpointReadTimeout(),
                    config.signing().verifier("evaluation")), scorer), BlockWorker.BeforePublish.NONE);
                 PipelineFixture.TopicReader<EvaluationResult> results = PipelineFixture.results(broker.bootstrapServers())) {
                other.start();
                BlockWorker service = replicas.worker();
                assertThat(service).as("the service's worker").isNotNull();
                await().atMost(Duration.ofSeconds(60)).until(() -> !other.assignment().isEmpty()
                        && !service.assignment().isEmpty());

                Path packed = fixture.model(Files.createTempDirectory(tmp, "m"), "m", 7);
                CheckpointManifest manifest = fixture.publish(fixture.manifest("split-ck", "split-run", 1), packed);
                Map<Split, EvaluationResult> published = new java.util.EnumMap<>(Split.class);
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    results.poll().stream().filter(r -> r.getCheckpointId().equals("split-ck"))
                            .forEach(r -> published.put(r.getSplit(), r));
                    return published.size() == 2;
                });

                List<EvaluationResult> expected = scorer.score(manifest, packed);
                assertThat(expected).hasSize(2);
                for (EvaluationResult e : expected) {
                    EvaluationResult got = published.get(e.getSplit());
                    assertThat(got.getError()).as(e.getSplit() + " error").isEmpty();
                    assertThat(e.getMetrics().getQueryCount()).as("queries of " + e.getSplit()).isGreaterThan(10);
                    assertThat(got.getMetrics()).as(e.getSplit() + " metrics").isEqualTo(e.getMetrics());
                    assertThat(Double.doubleToRawLongBits(got.getMetrics().getMeanAveragePrecisionAtR()))
                            .isEqualTo(Double.doubleToRawLongBits(e.getMetrics().getMeanAveragePrecisionAtR()));
                }
                long blocks = expected.stream().mapToLong(e -> (e.getMetrics().getQueryCount() + 7) / 8).sum();
                assertThat(other.scored()).as("blocks the second replica scored").isPositive();
                assertThat(service.scored()).as("blocks the service's replica scored").isPositive();
                assertThat(other.scored() + service.scored()).as("blocks scored").isGreaterThanOrEqualTo(blocks);
                assertThat(replicas.inputs().fromOthers())
                        .as("checkpoints the owning replica read and embedded again for its own blocks").isZero();
            }
        }
    }
}
