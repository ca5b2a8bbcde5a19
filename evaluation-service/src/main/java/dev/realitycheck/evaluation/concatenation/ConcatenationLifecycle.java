package dev.realitycheck.evaluation.concatenation;

import dev.realitycheck.evaluation.EvaluationConfig;
import dev.realitycheck.evaluation.results.EvaluationStore;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.evaluation.scoring.TestEmbeddingCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts the {@link ConcatenationUpdater} when the service starts (if both
 * {@code realitycheck.evaluation.consume-checkpoints} and {@code realitycheck.evaluation.concatenate}
 * are on) and closes it when the service stops.
 */
@ApplicationScoped
public class ConcatenationLifecycle {

    @Inject
    EvaluationConfig config;

    @Inject
    EvaluationStore store;

    @Inject
    TestEmbeddingCache testEmbeddings;

    @Inject
    HeldOutScorer heldOut;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private ConcatenationUpdater updater;

    void start(@Observes StartupEvent event) {
        if (!config.consumeCheckpoints() || !config.concatenate()) {
            return;
        }
        updater = new ConcatenationUpdater(store, new FoldConcatenator(testEmbeddings, heldOut), bootstrapServers,
                config.concatenateTrials(), registry, config.signing().signer("evaluation"));
        updater.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (updater != null) {
            updater.close();
        }
    }
}
