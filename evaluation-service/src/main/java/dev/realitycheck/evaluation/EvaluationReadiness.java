package dev.realitycheck.evaluation;

import dev.realitycheck.data.catalog.BuiltinDatasets;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.transport.TopicAdmin;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code evaluation pipeline}: ready when the Kafka broker answers and the default
 * dataset (Fashion-MNIST) can be found; always up when the pipeline is off.
 */
@Readiness
@ApplicationScoped
public class EvaluationReadiness implements HealthCheck {

    @Inject
    EvaluationConfig config;

    @Inject
    EvaluationDatasets datasets;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        if (!config.consumeCheckpoints()) {
            return HealthCheckResponse.named("evaluation pipeline").up().withData("pipeline", "off").build();
        }
        boolean kafka = TopicAdmin.reachable(admin(), 2_000);
        boolean dataset = datasets.locate(DatasetSpec.newBuilder().setName(BuiltinDatasets.FASHION_MNIST).build()).isPresent();
        return HealthCheckResponse.named("evaluation pipeline")
                .status(kafka && dataset)
                .withData("kafka", kafka ? "reachable at " + bootstrapServers : "unreachable at " + bootstrapServers)
                .withData("dataset " + BuiltinDatasets.FASHION_MNIST, dataset ? "available" : "missing")
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
