package dev.realitycheck.embedding.serving;

import dev.realitycheck.embedding.EmbeddingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code embedding model}: always up, so that a fresh install (no checkpoint trained
 * yet) becomes ready and {@code helm install --wait} completes; a request before the first
 * checkpoint gets FAILED_PRECONDITION ("no checkpoint has been loaded yet"). The state stays
 * visible: the check's data say {@code model: none yet} (or {@code serving}) and {@code served}
 * names the checkpoint, and the gauge {@code realitycheck_embedding_model_serving} is 0 until a
 * model is served.
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
                .map(m -> b.up().withData("model", "serving").withData("served", m.checkpointId()).build())
                .orElseGet(() -> b.up().withData("model", "none yet").withData("served", "none yet").build());
    }
}
