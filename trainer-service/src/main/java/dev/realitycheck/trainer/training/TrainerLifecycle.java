package dev.realitycheck.trainer.training;

import dev.realitycheck.security.Signing;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.trainer.TrainerConfig;
import dev.realitycheck.trainer.runs.RunEventFollower;
import dev.realitycheck.trainer.runs.RunStore;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts and stops the trainer with the service: the {@link RunEventFollower} that feeds the
 * {@link RunStore} when {@code realitycheck.trainer.follow-run-events} is on, and the
 * {@link TrainerLoop} when {@code realitycheck.trainer.consume-runs} is on (once the follower has
 * read the run events present at start, so a resumed run has its validations).
 */
@ApplicationScoped
public class TrainerLifecycle {

    private static final Logger LOG = Logger.getLogger(TrainerLifecycle.class);

    @Inject
    TrainerConfig config;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private TrainerLoop loop;
    private RunEventFollower follower;

    void start(@Observes StartupEvent event, RunStore store, RunDatasets datasets) {
        config.signing().requireSides("trainer", Signing.Side.SIGNS); // it signs checkpoints, reads none
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
        dev.realitycheck.transport.RecordSignatures.Signer signer = config.signing().signer("trainer");
        loop = new TrainerLoop(new TrainerLoop.Settings(bootstrapServers, config.consumerGroup(),
                Topics.RUNS, config.maxRunDuration(),
                config.topicPartitions(), config.topicReplication()), store,
                publisher -> new RunTrainer(datasets, config.resolvedWorkDir(), threads, publisher.signedBy(signer), store, metrics,
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
    }
}
