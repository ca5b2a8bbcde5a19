package dev.realitycheck.trainer;

import dev.realitycheck.transport.KafkaProbe;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    private KafkaProbe kafka;

    @Override
    public HealthCheckResponse call() {
        if (!config.consumeRuns()) {
            return HealthCheckResponse.named("trainer pipeline").up().withData("pipeline", "off").build();
        }
        boolean reachable = kafka.reachable();
        return HealthCheckResponse.named("trainer pipeline").status(reachable)
                .withData("kafka", kafka.describe(reachable))
                .withData("device", TrainerDevice.describe())
                .build();
    }

    @PostConstruct
    void open() {
        kafka = new KafkaProbe(bootstrapServers);
    }

    @PreDestroy
    void close() {
        kafka.close();
    }
}
