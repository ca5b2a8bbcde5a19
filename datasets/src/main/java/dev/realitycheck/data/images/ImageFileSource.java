package dev.realitycheck.data.images;

import java.io.IOException;
import java.util.Objects;

/**
 * An {@link ImageSource} that decodes an {@link ImageDataset}'s files on every read
 * ({@link ImageDecoder}), at their own sizes. Thread-safe.
 */
public final class ImageFileSource implements ImageSource {

    private final ImageDataset dataset;

    /** @param dataset the files to decode */
    public ImageFileSource(ImageDataset dataset) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
    }

    @Override
    public int size() {
        return dataset.size();
    }

    @Override
    public int label(int index) {
        return dataset.entries().get(index).label();
    }

    @Override
    public RgbImage read(int index) throws IOException {
        return ImageDecoder.decode(dataset.file(index)).image();
    }
}
