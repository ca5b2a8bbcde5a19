package dev.realitycheck.evaluation;

import dev.realitycheck.data.catalog.BuiltinDatasets;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.transport.KafkaProbe;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    private KafkaProbe kafka;

    @Override
    public HealthCheckResponse call() {
        if (!config.consumeCheckpoints()) {
            return HealthCheckResponse.named("evaluation pipeline").up().withData("pipeline", "off").build();
        }
        boolean reachable = kafka.reachable();
        boolean dataset = datasets.locate(DatasetSpec.newBuilder().setName(BuiltinDatasets.FASHION_MNIST).build()).isPresent();
        return HealthCheckResponse.named("evaluation pipeline")
                .status(reachable && dataset)
                .withData("kafka", kafka.describe(reachable))
                .withData("dataset " + BuiltinDatasets.FASHION_MNIST, dataset ? "available" : "missing")
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
