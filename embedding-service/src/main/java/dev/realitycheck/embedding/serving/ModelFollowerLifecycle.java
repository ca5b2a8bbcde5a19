package dev.realitycheck.embedding.serving;

import dev.realitycheck.embedding.EmbeddingConfig;
import dev.realitycheck.security.Signing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the {@link ModelFollower} at startup and closes it at shutdown, configured by
 * {@link EmbeddingConfig} (nothing starts with {@code follow-checkpoints=false}); the following itself
 * lives in the plain {@link ModelFollower}.
 */
@ApplicationScoped
public class ModelFollowerLifecycle {

    private static final Logger LOG = Logger.getLogger(ModelFollowerLifecycle.class);

    @Inject
    EmbeddingConfig config;

    @Inject
    ModelRegistry registry;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private ModelFollower follower;

    void start(@Observes StartupEvent event) {
        config.signing().requireSides("embedding", Signing.Side.VERIFIES); // it reads records, publishes none
        if (!config.followCheckpoints()) {
            LOG.info("checkpoint following is off (realitycheck.embedding.follow-checkpoints=false): no model will load");
            return;
        }
        String clientId = ModelFollower.replicaClientId(config.clientIdPrefix());
        follower = new ModelFollower(new ModelFollower.Settings(bootstrapServers, clientId,
                config.resolvedWorkDir().resolve(clientId), config.maxCheckpointBytes(), config.stallTimeout(),
                config.topicPartitions(), config.topicReplication(), config.signing().verifier("embedding")), registry, meters);
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (follower != null) {
            follower.close();
        }
    }
}
