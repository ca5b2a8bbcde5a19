package dev.realitycheck.embedding.gallery;

import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.embedding.EmbeddingConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Creates the plain {@link Galleries} and {@link DatasetSplitSource} from {@link EmbeddingConfig}. */
@Singleton
class GalleryBeans {

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
        return new DatasetSplitSource(config.datasets(), new DataRoots(config.dataRoots(), DatasetSplitSource.DATA_ROOTS_SETTING));
    }
}
