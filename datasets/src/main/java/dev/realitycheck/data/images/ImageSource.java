package dev.realitycheck.data.images;

import java.io.IOException;

/**
 * The images of a dataset by index, decoded on demand (from image files, or from a prepared
 * decoded cache), with one integer label each. Implementations are thread-safe: the input
 * pipeline's workers read from one source concurrently.
 */
public interface ImageSource {

    /** @return the number of images */
    int size();

    /**
     * @param index image index, {@code 0 <= index < size()}
     * @return its label
     */
    int label(int index);

    /**
     * @param index image index, {@code 0 <= index < size()}
     * @return the decoded image
     * @throws IOException if it cannot be read or decoded; the message names the file
     */
    RgbImage read(int index) throws IOException;
}
