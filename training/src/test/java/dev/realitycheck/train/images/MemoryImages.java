package dev.realitycheck.train.images;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.data.images.RgbImage;
import java.io.IOException;
import java.util.SplittableRandom;

/** A test {@link ImageSource}: seeded random images of varied sizes held in memory, {@code classes} labels in turn. */
class MemoryImages implements ImageSource {

    private final RgbImage[] images;
    private final int classes;

    MemoryImages(int count, int classes, long seed) {
        this.classes = classes;
        SplittableRandom random = new SplittableRandom(seed);
        images = new RgbImage[count];
        for (int i = 0; i < count; i++) {
            int w = 30 + random.nextInt(40);
            int h = 30 + random.nextInt(40);
            byte[] rgb = new byte[w * h * 3];
            random.nextBytes(rgb);
            images[i] = new RgbImage(w, h, rgb);
        }
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public int label(int index) {
        return index % classes;
    }

    @Override
    public RgbImage read(int index) throws IOException {
        return images[index];
    }

    /** @return every label, for a sampler */
    int[] labels() {
        int[] labels = new int[images.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = label(i);
        }
        return labels;
    }

    /** @return an image of the given size, every pixel its (row, column, channel) pattern */
    static RgbImage pattern(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * width + x) * 3 + c] = (byte) (y * 16 + x * 3 + c * 50);
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** @return a one-row or one-column image from per-pixel {r, g, b} triples */
    static RgbImage of(int width, int height, int... values) {
        byte[] rgb = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            rgb[i] = (byte) values[i];
        }
        return new RgbImage(width, height, rgb);
    }
}
