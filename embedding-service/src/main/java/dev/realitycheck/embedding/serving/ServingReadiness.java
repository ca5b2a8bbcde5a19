package dev.realitycheck.embedding.serving;

import dev.realitycheck.embedding.EmbeddingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a checkpoint is served (so a load balancer sends no traffic that could only get
 * FAILED_PRECONDITION); always ready when checkpoint following is off (the gRPC API alone).
 */
@Readiness
@ApplicationScoped
public class ServingReadiness implements HealthCheck {

    @Inject
    EmbeddingConfig config;

    @Inject
    ModelRegistry registry;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("embedding model")
                .withData("policy", config.policy().name().toLowerCase())
                .withData("loaded", String.join(",", registry.loaded().stream().sorted().toList()));
        if (!config.followCheckpoints()) {
            return b.up().withData("following", "off").build();
        }
        return registry.served()
                .map(m -> b.up().withData("served", m.checkpointId()).build())
                .orElseGet(() -> b.down().withData("served", "none yet").build());
    }
}
