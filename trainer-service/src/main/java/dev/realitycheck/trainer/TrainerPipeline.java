package dev.realitycheck.trainer;

import dev.realitycheck.train.SessionThreads;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the trainer for the life of the service: the {@link RunStore}, {@link DatasetCatalog} and
 * {@link ExperimentValidator} beans, and the {@link TrainerLoop} when
 * {@code realitycheck.trainer.consume-runs} is on.
 */
@ApplicationScoped
public class TrainerPipeline {

    private static final Logger LOG = Logger.getLogger(TrainerPipeline.class);

    @Inject
    TrainerConfig config;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private TrainerLoop loop;

    @Produces
    @Singleton
    RunStore store() {
        return new RunStore();
    }

    @Produces
    @Singleton
    DatasetCatalog datasets() {
        return new DatasetCatalog(config.datasets());
    }

    @Produces
    @Singleton
    ExperimentValidator validator(DatasetCatalog datasets) {
        return new ExperimentValidator(datasets);
    }

    void start(@Observes StartupEvent event, RunStore store, DatasetCatalog datasets) {
        if (!config.consumeRuns()) {
            LOG.info("run consumption is off (realitycheck.trainer.consume-runs=false): gRPC API only");
            return;
        }
        RunMetrics metrics = new RunMetrics(registry);
        SessionThreads threads = new SessionThreads(config.intraOpThreads(), config.interOpThreads());
        loop = new TrainerLoop(new TrainerLoop.Settings(bootstrapServers, config.consumerGroup(),
                dev.realitycheck.transport.Topics.RUNS, config.maxRunDuration(),
                config.topicPartitions(), config.topicReplication()), store,
                publisher -> new RunTrainer(datasets, config.resolvedWorkDir(), threads, publisher, store, metrics));
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop != null) {
            loop.close();
        }
    }
}
