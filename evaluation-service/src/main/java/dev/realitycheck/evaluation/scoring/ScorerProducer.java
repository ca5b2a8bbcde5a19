package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.evaluation.EvaluationConfig;
import dev.realitycheck.evaluation.EvaluationDatasets;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import dev.realitycheck.evaluation.progress.KafkaProgressPublisher;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the plain scoring classes into CDI. */
@ApplicationScoped
public class ScorerProducer {

    @Inject
    EvaluationConfig config;

    @Inject
    EvaluationDatasets datasets;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    @Produces
    @ApplicationScoped
    KafkaProgressPublisher progressPublisher() {
        return new KafkaProgressPublisher(bootstrapServers);
    }

    void closeProgressPublisher(@Disposes KafkaProgressPublisher publisher) {
        publisher.close();
    }

    /** @param replicas the split across replicas ({@code replicas.ReplicaSplit}, off unless configured) */
    @Produces
    @ApplicationScoped
    HeldOutScorer heldOutScorer(KafkaProgressPublisher progress, HeldOutScorer.Elsewhere replicas) {
        return new HeldOutScorer(config.resolvedKnnThreads(),
                config.recallKs().stream().mapToInt(Integer::intValue).toArray(), registry, progress,
                schedule(config.splitSchedule()), replicas);
    }

    /** The schedule named by {@code realitycheck.evaluation.split-schedule}; any other name stops the start. */
    static SplitSchedule schedule(String name) {
        try {
            return SplitSchedule.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("realitycheck.evaluation.split-schedule is '" + name + "', not one of "
                    + java.util.Arrays.toString(SplitSchedule.values()), e);
        }
    }

    @Produces
    @ApplicationScoped
    Baselines baselines(HeldOutScorer heldOut) {
        return new Baselines(m -> datasets.load(m.getDataset()), heldOut, config.resolvedWorkDir());
    }

    @Produces
    @ApplicationScoped
    TestEmbeddingCache testEmbeddingCache() {
        return new TestEmbeddingCache(config.resolvedWorkDir().resolve("test-embeddings"), config.testEmbeddingCacheBytes());
    }

    @Produces
    @ApplicationScoped
    SavedModelScorer checkpointScorer(HeldOutScorer heldOut, TestEmbeddingCache cache) {
        return new SavedModelScorer(m -> datasets.load(m.getDataset()), heldOut, config.embedBatchSize(),
                config.modelBatchInputBytes(), registry,
                config.concatenate() ? cache : null, config.archive().limits(), m -> datasets.images(m.getDataset()),
                new SavedModelScorer.ImageStreaming(config.imageBatchSize(), config.imageWorkers()));
    }
}
