package dev.realitycheck.embedding;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Creates the plain serving objects from {@link EmbeddingConfig} and closes them at shutdown. */
@Singleton
public class ServingBeans {

    @Produces
    @Singleton
    ModelRegistry registry(EmbeddingConfig config, MeterRegistry meters) {
        return new ModelRegistry(config.policy(), config.pinnedCheckpoint().orElse(null), config.maxModels(),
                config.modelBatchSize(), meters);
    }

    @Produces
    @Singleton
    MicroBatcher batcher(EmbeddingConfig config, MeterRegistry meters) {
        return new MicroBatcher(config.maxBatchSize(), config.maxWait().toNanos(), config.queueCapacity(),
                config.batchWorkers(), meters);
    }

    @Produces
    @Singleton
    Galleries galleries(EmbeddingConfig config) {
        return new Galleries(name -> new GalleryIndexFactory(
                config.galleryIndexFor().getOrDefault(name, config.galleryIndex()), config.hnswMinItems(),
                config.hnswEfSearch(), config.searchThreads()));
    }

    @Produces
    @Singleton
    DatasetSplitSource datasets(EmbeddingConfig config) {
        return new DatasetSplitSource(config.datasets());
    }

    void closeRegistry(@Disposes ModelRegistry registry) {
        registry.close();
    }

    void closeBatcher(@Disposes MicroBatcher batcher) throws InterruptedException {
        batcher.close();
    }
}
