package dev.realitycheck.trainer;

import dev.realitycheck.transport.TopicAdmin;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the Kafka broker answers (runs can be queued and consumed); always ready with the loop off. */
@Readiness
@ApplicationScoped
public class TrainerReadiness implements HealthCheck {

    @Inject
    TrainerConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        if (!config.consumeRuns()) {
            return HealthCheckResponse.named("trainer pipeline").up().withData("pipeline", "off").build();
        }
        boolean kafka = TopicAdmin.reachable(admin(), 2_000);
        return HealthCheckResponse.named("trainer pipeline").status(kafka)
                .withData("kafka", kafka ? "reachable at " + bootstrapServers : "unreachable at " + bootstrapServers)
                .withData("device", TrainerDevice.describe())
                .build();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = TopicAdmin.admin(bootstrapServers);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
