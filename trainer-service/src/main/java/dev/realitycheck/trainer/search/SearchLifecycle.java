package dev.realitycheck.trainer.search;

import dev.realitycheck.trainer.TrainerConfig;
import dev.realitycheck.trainer.training.RunDatasets;
import dev.realitycheck.transport.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts and stops the {@link SearchCoordinator} with the service when {@code realitycheck.search.enabled}
 * and {@code realitycheck.trainer.consume-runs} are both on. K of an experiment whose spec leaves
 * {@code dataset.split.folds} at 0 comes from its dataset's class count ({@link RunDatasets#foldCount}),
 * as {@code StartExperiment} resolves it.
 */
@ApplicationScoped
public class SearchLifecycle {

    private static final Logger LOG = Logger.getLogger(SearchLifecycle.class);

    @Inject
    SearchConfig config;

    @Inject
    TrainerConfig trainer;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private SearchCoordinator coordinator;

    void start(@Observes StartupEvent event, RunDatasets datasets) {
        if (!config.enabled() || !trainer.consumeRuns()) {
            LOG.info("hyperparameter-search coordination is off in this pod");
            return;
        }
        coordinator = new SearchCoordinator(new SearchCoordinator.Settings(bootstrapServers, config.consumerGroup(),
                Topics.EXPERIMENTS, Topics.RUNS, Topics.RUN_EVENTS, Topics.DEAD_LETTERS, config.trialsInFlight(),
                config.pollTimeout(), config.catchUpTimeout(), config.publishTimeout()),
                datasets::foldCount);
        coordinator.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (coordinator != null) {
            coordinator.close();
        }
    }
}
