package dev.realitycheck.trainer.runs;

import dev.realitycheck.trainer.TrainerConfig;
import dev.realitycheck.transport.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the pod's {@link RunStore} into CDI: with {@code realitycheck.trainer.follow-run-events} on,
 * it publishes this pod's run events on {@code realitycheck.run-events} through a
 * {@link RunEventPublisher}, closed when the application stops (after the loops are stopped by
 * the lifecycles); off, it is a store of this pod alone.
 */
@ApplicationScoped
public class RunStoreProducer {

    @Inject
    TrainerConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private RunEventPublisher events;

    @Produces
    @Singleton
    RunStore store() {
        if (!config.followRunEvents()) {
            return new RunStore();
        }
        events = new RunEventPublisher(bootstrapServers, Topics.RUN_EVENTS, config.publishTimeout());
        return new RunStore(config.reporterId(), events);
    }

    @PreDestroy
    void close() {
        if (events != null) {
            events.close();
        }
    }
}
