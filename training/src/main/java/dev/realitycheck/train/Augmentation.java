package dev.realitycheck.train;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Training-time image augmentation, applied in Java to a batch before it is fed, so it is the same
 * for every loss: a random crop of the original size from the image zero-padded by
 * {@code padding} on each side (a random shift of up to {@code padding} pixels), then a
 * horizontal flip with probability one half. {@link #none()} (for vectors) leaves batches unchanged.
 *
 * <p>Per image it draws, in this order, the row offset and the column offset (when padding is
 * positive) and the flip (when enabled), so the result is a pure function of the batch and the
 * generator's state.
 *
 * @param padding        pixels of zero padding on each side; non-negative
 * @param horizontalFlip whether to flip half the images left-right
 */
public record Augmentation(int padding, boolean horizontalFlip) {

    /** Validates the padding. */
    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must not be negative, was " + padding);
        }
    }

    /** @return no augmentation */
    public static Augmentation none() {
        return new Augmentation(0, false);
    }

    /** @return whether this changes nothing */
    public boolean isNone() {
        return padding == 0 && !horizontalFlip;
    }

    /**
     * Augments a batch.
     *
     * @param batch    {@code count} images, each {@code [height, width, channels]} row-major
     * @param count    the number of images
     * @param height   rows per image
     * @param width    columns per image
     * @param channels values per pixel
     * @param random   the source of the draws
     * @return a new array of the same size (or {@code batch} itself if this is {@link #none()})
     */
    public float[] apply(float[] batch, int count, int height, int width, int channels, SplittableRandom random) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(random, "random");
        int size = height * width * channels;
        if (batch.length != (long) count * size) {
            throw new IllegalArgumentException(count + " images of " + height + " x " + width + " x " + channels
                    + " need " + (long) count * size + " values, got " + batch.length);
        }
        if (isNone()) {
            return batch;
        }
        float[] out = new float[batch.length];
        for (int n = 0; n < count; n++) {
            int dy = padding > 0 ? random.nextInt(2 * padding + 1) - padding : 0;
            int dx = padding > 0 ? random.nextInt(2 * padding + 1) - padding : 0;
            boolean flip = horizontalFlip && random.nextBoolean();
            int base = n * size;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= height) {
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int cx = flip ? width - 1 - x : x;
                    int sx = cx + dx;
                    if (sx < 0 || sx >= width) {
                        continue;
                    }
                    System.arraycopy(batch, base + (sy * width + sx) * channels, out, base + (y * width + x) * channels,
                            channels);
                }
            }
        }
        return out;
    }
}
