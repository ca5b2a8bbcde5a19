package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Path;

/** Reads an image dataset of any {@link ImageLayout}, detecting the layout from its files. */
public final class ImageDatasets {

    private ImageDatasets() {
    }

    /**
     * @param root the dataset's directory
     * @return its files, labels and class names in the paper's label order
     * @throws IOException if the layout is unknown, an index file is malformed or a listed file is
     *                     missing (the message names the file)
     */
    public static ImageDataset read(Path root) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        return ImageLayout.detect(absolute).read(absolute);
    }

    /** Reads {@code root} as {@code layout}, without detection. */
    public static ImageDataset read(Path root, ImageLayout layout) throws IOException {
        return layout.read(root.toAbsolutePath().normalize());
    }
}
