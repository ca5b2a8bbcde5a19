package dev.realitycheck.data.images;

import java.util.Objects;

/**
 * An image as {@link ImageDecoder} decoded it, and what it converted on the way.
 *
 * @param image      the RGB pixels
 * @param conversion what was converted to reach 8-bit RGB ("grey to RGB", "alpha dropped",
 *                   "palette to RGB", "16-bit to 8-bit", ...), empty if the file was 8-bit RGB
 */
public record DecodedImage(RgbImage image, String conversion) {

    /** Checks both are present. */
    public DecodedImage {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(conversion, "conversion");
    }

    /** @return whether anything was converted */
    public boolean converted() {
        return !conversion.isEmpty();
    }
}
