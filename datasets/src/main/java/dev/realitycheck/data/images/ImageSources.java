package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the {@link ImageSource} of an {@link ImageDataset}: its decoded cache when there is one, else its files. */
public final class ImageSources {

    private ImageSources() {
    }

    /** {@link #open(ImageDataset, Path)} with the dataset's default cache directory ({@link DecodedCache#defaultDir}). */
    public static ImageSource open(ImageDataset dataset) throws IOException {
        return open(dataset, DecodedCache.defaultDir(dataset));
    }

    /**
     * @param dataset  the dataset
     * @param cacheDir where {@code dataset prepare} wrote its decoded cache, or {@code null} for none
     * @return a {@link CachedImageSource} if {@code cacheDir} holds a cache (checked against the
     *         dataset's fingerprint), else an {@link ImageFileSource}
     * @throws IOException if the cache is there but unusable or prepared from other data
     */
    public static ImageSource open(ImageDataset dataset, Path cacheDir) throws IOException {
        if (cacheDir != null && DecodedCache.exists(cacheDir)) {
            return DecodedCache.open(cacheDir, dataset.fingerprint());
        }
        return new ImageFileSource(dataset);
    }
}
