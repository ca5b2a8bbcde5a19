package dev.realitycheck.train.images;

/**
 * A rectangle of an image's pixels: columns {@code left .. left + width - 1}, rows
 * {@code top .. top + height - 1}.
 *
 * @param left   first column, non-negative
 * @param top    first row, non-negative
 * @param width  columns, positive
 * @param height rows, positive
 */
public record CropBox(int left, int top, int width, int height) {

    /** Validates the corner and the size. */
    public CropBox {
        if (left < 0 || top < 0) {
            throw new IllegalArgumentException("crop corner must not be negative, was (" + left + ", " + top + ")");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("crop size must be positive, was " + width + " x " + height);
        }
    }

    /** @return the whole of an image of this size */
    public static CropBox whole(int width, int height) {
        return new CropBox(0, 0, width, height);
    }

    /**
     * torchvision's {@code CenterCrop}: the {@code width x height} box at offset
     * {@code round((imageWidth - width) / 2)}, {@code round((imageHeight - height) / 2)} (half to even).
     *
     * @throws IllegalArgumentException if the box is larger than the image
     */
    public static CropBox centre(int imageWidth, int imageHeight, int width, int height) {
        if (width > imageWidth || height > imageHeight) {
            throw new IllegalArgumentException("a centre crop of " + width + " x " + height + " does not fit a "
                    + imageWidth + " x " + imageHeight + " image");
        }
        return new CropBox((int) Math.rint((imageWidth - width) / 2.0), (int) Math.rint((imageHeight - height) / 2.0),
                width, height);
    }

    /** @return whether the box lies inside an image of this size */
    public boolean fits(int imageWidth, int imageHeight) {
        return left + width <= imageWidth && top + height <= imageHeight;
    }
}
