package dev.realitycheck.data.images;

import java.util.Objects;

/**
 * A decoded colour image, 8 bits per channel: {@code height} rows of {@code width} pixels, each
 * pixel three bytes in red, green, blue order (interleaved, row-major, as TensorFlow's
 * {@code [H, W, 3]}). Grey, alpha and CMYK sources are converted to RGB when decoded.
 *
 * <p>For size reasons the array is not copied: treat it as read-only.
 *
 * @param width  pixels per row, positive
 * @param height rows, positive
 * @param rgb    {@code height * width * 3} unsigned bytes (read with {@code & 0xFF})
 */
public record RgbImage(int width, int height, byte[] rgb) {

    /** Validates the size against the pixel array. */
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got width " + width + ", height " + height);
        }
        Objects.requireNonNull(rgb, "rgb");
        long expected = 3L * width * height;
        if (rgb.length != expected) {
            throw new IllegalArgumentException("a " + width + " x " + height + " RGB image needs " + expected
                    + " bytes, got " + rgb.length);
        }
    }

    /**
     * @param row     pixel row
     * @param col     pixel column
     * @param channel 0 red, 1 green, 2 blue
     * @return the value, 0..255
     */
    public int value(int row, int col, int channel) {
        Objects.checkIndex(row, height);
        Objects.checkIndex(col, width);
        Objects.checkIndex(channel, 3);
        return rgb[(row * width + col) * 3 + channel] & 0xFF;
    }
}
