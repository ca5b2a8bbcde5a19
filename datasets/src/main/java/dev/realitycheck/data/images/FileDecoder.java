package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes one image file to 8-bit RGB; what an {@link ImageFileSource} reads its files with.
 * Implementations are thread-safe (the pipeline's workers call one concurrently).
 */
@FunctionalInterface
public interface FileDecoder {

    /** The JDK's ImageIO readers ({@link ImageDecoder}), the default. */
    FileDecoder IMAGE_IO = file -> ImageDecoder.decode(file).image();

    /**
     * @param file the image file
     * @return its pixels
     * @throws IOException if it cannot be read or decoded; the message names the file
     */
    RgbImage decode(Path file) throws IOException;
}
