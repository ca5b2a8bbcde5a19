package dev.realitycheck.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Grey-scale images of one size with one integer label each, as in MNIST and Fashion-MNIST.
 *
 * <p>For size reasons (Fashion-MNIST's pixels are 55 MB) the arrays are neither copied on the
 * way in nor on the way out: treat them as read-only.
 *
 * @param height rows per image, positive
 * @param width  columns per image, positive
 * @param pixels {@code count() * height * width} unsigned bytes (0..255, read with {@code & 0xFF}),
 *               image after image, each row-major
 * @param labels one label per image
 */
public record LabeledImages(int height, int width, byte[] pixels, int[] labels) {

    /** Validates sizes and that there are as many images as labels. */
    public LabeledImages {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got height " + height + ", width " + width);
        }
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        long expected = (long) labels.length * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(labels.length + " labels need " + labels.length + " images of "
                    + height + " x " + width + " = " + expected + " pixels, got " + pixels.length);
        }
    }

    /** @return the number of images */
    public int count() {
        return labels.length;
    }

    /** @return {@code height * width} */
    public int pixelsPerImage() {
        return height * width;
    }

    /**
     * @param index image index
     * @return its label
     */
    public int label(int index) {
        return labels[index];
    }

    /**
     * @param index image index
     * @param row   pixel row
     * @param col   pixel column
     * @return the pixel's value, 0..255
     */
    public int pixel(int index, int row, int col) {
        Objects.checkIndex(row, height);
        Objects.checkIndex(col, width);
        return pixels[index * pixelsPerImage() + row * width + col] & 0xFF;
    }

    /**
     * The images at {@code indices}, one after the other, as their raw values: the floats 0..255
     * ({@link Uint8Values}).
     *
     * @param indices image indices, in the order wanted (repeats allowed)
     * @return {@code indices.length * pixelsPerImage()} floats
     */
    public float[] rawImages(int[] indices) {
        int size = pixelsPerImage();
        float[] out = new float[Math.multiplyExact(indices.length, size)];
        for (int i = 0; i < indices.length; i++) {
            Objects.checkIndex(indices[i], count());
            Uint8Values.toFloats(pixels, indices[i] * size, out, i * size, size);
        }
        return out;
    }

    /**
     * Copies one image into {@code dst} as floats scaled to [0, 1] (value / 255).
     *
     * @param index  image index
     * @param dst    destination
     * @param offset where in {@code dst} the image starts
     */
    public void copyImageScaled(int index, float[] dst, int offset) {
        Objects.checkIndex(index, count());
        Objects.checkFromIndexSize(offset, pixelsPerImage(), dst.length);
        int from = index * pixelsPerImage();
        for (int i = 0; i < pixelsPerImage(); i++) {
            dst[offset + i] = (pixels[from + i] & 0xFF) / 255f;
        }
    }

    /**
     * @param other images of the same size
     * @return these images followed by {@code other}'s
     * @throws IllegalArgumentException if the image sizes differ
     */
    public LabeledImages concat(LabeledImages other) {
        if (other.height != height || other.width != width) {
            throw new IllegalArgumentException("cannot concatenate " + height + " x " + width + " images with "
                    + other.height + " x " + other.width + " images");
        }
        byte[] joinedPixels = Arrays.copyOf(pixels, Math.addExact(pixels.length, other.pixels.length));
        System.arraycopy(other.pixels, 0, joinedPixels, pixels.length, other.pixels.length);
        int[] joinedLabels = Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, joinedLabels, labels.length, other.labels.length);
        return new LabeledImages(height, width, joinedPixels, joinedLabels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledImages other && height == other.height && width == other.width
                && Arrays.equals(labels, other.labels) && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(height, width, Arrays.hashCode(labels), Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "LabeledImages[" + count() + " images of " + height + " x " + width + "]";
    }
}
