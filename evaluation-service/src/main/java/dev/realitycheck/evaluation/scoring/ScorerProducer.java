package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.evaluation.EvaluationConfig;
import dev.realitycheck.evaluation.EvaluationDatasets;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Wires the plain scoring classes into CDI. */
@ApplicationScoped
public class ScorerProducer {

    @Inject
    EvaluationConfig config;

    @Inject
    EvaluationDatasets datasets;

    @Inject
    MeterRegistry registry;

    @Produces
    @ApplicationScoped
    HeldOutScorer heldOutScorer() {
        return new HeldOutScorer(config.resolvedKnnThreads(),
                config.recallKs().stream().mapToInt(Integer::intValue).toArray(), registry);
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
    CheckpointScorer checkpointScorer(HeldOutScorer heldOut, TestEmbeddingCache cache) {
        return new SavedModelScorer(m -> datasets.load(m.getDataset()), heldOut, config.embedBatchSize(), registry,
                config.concatenate() ? cache : null);
    }
}
