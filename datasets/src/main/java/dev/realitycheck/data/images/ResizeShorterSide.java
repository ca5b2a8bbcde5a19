package dev.realitycheck.data.images;


/**
 * torchvision's {@code Resize(size)} with one int: the shorter side becomes {@code size}, the
 * longer {@code (int) (size * longer / shorter)} (truncated, as torchvision computes it), with
 * {@link Bilinear} resampling. An image whose shorter side already is {@code size} (a prepared,
 * decoded cache) is returned unchanged.
 *
 * @param size the shorter side after resizing, positive
 */
public record ResizeShorterSide(int size) {

    /** Validates the size. */
    public ResizeShorterSide {
        if (size <= 0) {
            throw new IllegalArgumentException("resize size must be positive, was " + size);
        }
    }

    /**
     * The paper's resize for a crop: 256 for 227, scaled alike for other model sizes
     * ({@code round(max(width, height) * 256 / 227)}: 32 for 28, 72 for 64).
     */
    public static ResizeShorterSide forCrop(int width, int height) {
        return new ResizeShorterSide((int) Math.round(Math.max(width, height) * 256.0 / 227.0));
    }

    /** @return the image resized */
    public RgbImage apply(RgbImage image) {
        return apply(image, CropBox.whole(width(image.width(), image.height()), height(image.width(), image.height())));
    }

    /**
     * The part {@code window} of {@link #apply(RgbImage) the resized image}, with the same values,
     * resampling only that part ({@link Bilinear#resize(RgbImage, CropBox, int, int, CropBox)}): what
     * a crop after the resize needs.
     *
     * @param window inside the resized image ({@link #width}, {@link #height})
     */
    public RgbImage apply(RgbImage image, CropBox window) {
        int w = image.width();
        int h = image.height();
        if (Math.min(w, h) == size && window.width() == w && window.height() == h) {
            return image;
        }
        return Bilinear.resize(image, CropBox.whole(w, h), width(w, h), height(w, h), window);
    }

    /** @return the columns of a {@code w x h} image after the resize */
    public int width(int w, int h) {
        return w <= h ? size : (int) ((long) size * w / h);
    }

    /** @return the rows of a {@code w x h} image after the resize */
    public int height(int w, int h) {
        return w <= h ? (int) ((long) size * h / w) : size;
    }
}
