package dev.realitycheck.data.images;

import java.io.IOException;
import java.util.Objects;

/**
 * An {@link ImageSource} that decodes an {@link ImageDataset}'s files on every read, at their own
 * sizes, with a {@link FileDecoder} ({@link FileDecoder#IMAGE_IO} unless given another).
 * Thread-safe when its decoder is.
 */
public final class ImageFileSource implements ImageSource {

    private final ImageDataset dataset;
    private final FileDecoder decoder;

    /** @param dataset the files to decode with ImageIO ({@link FileDecoder#IMAGE_IO}) */
    public ImageFileSource(ImageDataset dataset) {
        this(dataset, FileDecoder.IMAGE_IO);
    }

    /**
     * @param dataset the files to decode
     * @param decoder how to decode one
     */
    public ImageFileSource(ImageDataset dataset, FileDecoder decoder) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
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
        return decoder.decode(dataset.file(index));
    }
}
