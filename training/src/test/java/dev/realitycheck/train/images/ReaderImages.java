package dev.realitycheck.train.images;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.data.images.RgbImage;
import java.io.IOException;

/**
 * A test {@link ImageSource} whose images come from a function (files decoded on demand, a
 * cache, a source that counts or fails) and whose labels are given.
 *
 * @param labels the label of every image
 * @param reader the image of an index
 */
record ReaderImages(int[] labels, Reader reader) implements ImageSource {

    /** Reads one image. */
    interface Reader {
        RgbImage read(int index) throws IOException;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public RgbImage read(int index) throws IOException {
        return reader.read(index);
    }
}
