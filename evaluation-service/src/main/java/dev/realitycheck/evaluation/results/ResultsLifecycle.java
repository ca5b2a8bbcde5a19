package dev.realitycheck.evaluation.results;

import dev.realitycheck.evaluation.EvaluationConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts the {@link ResultsFollower} into the {@link EvaluationStore} when the service starts (if
 * {@code realitycheck.evaluation.consume-checkpoints} is on) and closes it when the service stops.
 */
@ApplicationScoped
public class ResultsLifecycle {

    @Inject
    EvaluationStore store;

    @Inject
    EvaluationConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private ResultsFollower follower;

    void start(@Observes StartupEvent event) {
        if (!config.consumeCheckpoints()) {
            return;
        }
        follower = new ResultsFollower(bootstrapServers, store, config.signing().verifier("evaluation"));
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (follower != null) {
            follower.close();
        }
    }
}
