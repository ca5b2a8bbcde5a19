package dev.realitycheck.trainer;

import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.transport.Topics;
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
 * Wires the trainer for the life of the service: the {@link RunStore} (publishing this pod's run
 * events, fed by a {@link RunEventFollower} when {@code realitycheck.trainer.follow-run-events} is
 * on), the {@link RunDatasets} and {@link ExperimentValidator} beans, and the
 * {@link TrainerLoop} when {@code realitycheck.trainer.consume-runs} is on.
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
    private RunEventPublisher events;
    private RunEventFollower follower;

    @Produces
    @Singleton
    RunStore store() {
        if (!config.followRunEvents()) {
            return new RunStore();
        }
        events = new RunEventPublisher(bootstrapServers, Topics.RUN_EVENTS, config.publishTimeout());
        return new RunStore(config.reporterId(), events);
    }

    @Produces
    @Singleton
    RunDatasets datasets() {
        return new RunDatasets(config.datasets());
    }

    @Produces
    @Singleton
    ExperimentValidator validator(RunDatasets datasets) {
        return new ExperimentValidator(datasets);
    }

    void start(@Observes StartupEvent event, RunStore store, RunDatasets datasets) {
        if (config.followRunEvents()) {
            follower = new RunEventFollower(bootstrapServers, Topics.RUN_EVENTS, Topics.EXPERIMENTS, store,
                    config.topicPartitions(), config.topicReplication());
            follower.start();
            LOG.infof("trainer pod %s follows %s and %s", store.reporter(), Topics.RUN_EVENTS, Topics.EXPERIMENTS);
        }
        if (!config.consumeRuns()) {
            LOG.info("run consumption is off (realitycheck.trainer.consume-runs=false): gRPC API only");
            return;
        }
        RunMetrics metrics = new RunMetrics(registry);
        SessionThreads threads = new SessionThreads(config.intraOpThreads(), config.interOpThreads());
        loop = new TrainerLoop(new TrainerLoop.Settings(bootstrapServers, config.consumerGroup(),
                Topics.RUNS, config.maxRunDuration(),
                config.topicPartitions(), config.topicReplication()), store,
                publisher -> new RunTrainer(datasets, config.resolvedWorkDir(), threads, publisher, store, metrics,
                        new PublishedCheckpoints(bootstrapServers, Topics.TRAINING_STATES, config.resumeFetchTimeout())));
        if (follower != null) {
            // a run resumed here takes its validations from the run events: read them before training
            Thread catchUp = new Thread(() -> {
                try {
                    if (!follower.awaitCaughtUp(config.resumeFetchTimeout())) {
                        LOG.warnf("run events not read within %s; training starts anyway", config.resumeFetchTimeout());
                    }
                    loop.start();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trainer-start");
            catchUp.setDaemon(true);
            catchUp.start();
        } else {
            loop.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop != null) {
            loop.close();
        }
        if (follower != null) {
            follower.close();
        }
        if (events != null) {
            events.close();
        }
    }
}
