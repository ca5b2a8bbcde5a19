package dev.realitycheck.evaluation.experiments;

import dev.realitycheck.evaluation.EvaluationConfig;
import dev.realitycheck.transport.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts the {@link ExperimentFollower} into the {@link ExperimentCatalog} when the service starts
 * (if {@code realitycheck.evaluation.consume-checkpoints} is on, like the results follower) and
 * closes it when the service stops.
 */
@ApplicationScoped
public class ExperimentsLifecycle {

    @Inject
    ExperimentCatalog catalog;

    @Inject
    EvaluationConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private ExperimentFollower follower;

    void start(@Observes StartupEvent event) {
        if (!config.consumeCheckpoints()) {
            return;
        }
        follower = new ExperimentFollower(bootstrapServers, Topics.EXPERIMENTS, Topics.RUN_EVENTS, catalog,
                config.topicPartitions(), config.topicReplication());
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (follower != null) {
            follower.close();
        }
    }
}
