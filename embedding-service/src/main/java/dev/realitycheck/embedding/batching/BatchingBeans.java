package dev.realitycheck.embedding.batching;

import dev.realitycheck.embedding.EmbeddingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Creates the plain {@link MicroBatcher} from {@link EmbeddingConfig} and stops it at shutdown. */
@Singleton
class BatchingBeans {

    @Produces
    @Singleton
    MicroBatcher batcher(EmbeddingConfig config, MeterRegistry meters) {
        return new MicroBatcher(config.maxBatchSize(), config.maxWait().toNanos(), config.queueCapacity(),
                config.batchWorkers(), meters);
    }

    void closeBatcher(@Disposes MicroBatcher batcher) throws InterruptedException {
        batcher.close();
    }
}
