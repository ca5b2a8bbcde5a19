package dev.realitycheck.train.images;

import dev.realitycheck.data.images.RgbImage;

/** Mirrors an image left to right (torchvision's {@code hflip}). */
public final class HorizontalFlip {

    private HorizontalFlip() {
    }

    /** @return a new image whose column {@code x} is the source's column {@code width - 1 - x} */
    public static RgbImage apply(RgbImage image) {
        int w = image.width();
        byte[] src = image.rgb();
        byte[] out = new byte[src.length];
        for (int y = 0; y < image.height(); y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                int to = row + x * 3;
                int from = row + (w - 1 - x) * 3;
                out[to] = src[from];
                out[to + 1] = src[from + 1];
                out[to + 2] = src[from + 2];
            }
        }
        return new RgbImage(w, image.height(), out);
    }
}
