package dev.realitycheck.embedding.serving;

import dev.realitycheck.embedding.EmbeddingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Creates the plain {@link ModelRegistry} from {@link EmbeddingConfig} and closes it at shutdown. */
@Singleton
public class ServingBeans {

    @Produces
    @Singleton
    ModelRegistry registry(EmbeddingConfig config, MeterRegistry meters) {
        return new ModelRegistry(config.policy(), config.pinnedCheckpoint().orElse(null), config.maxModels(),
                config.modelBatchSize(), config.modelBatchInputBytes(), meters, config.archive().limits());
    }

    void closeRegistry(@Disposes ModelRegistry registry) {
        registry.close();
    }
}
