package dev.realitycheck.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small real MNIST-layout dataset written as IDX files: {@code classes} classes of
 * {@code side x side} images, each class a fixed random pattern plus per-image noise, split
 * between train- and t10k- files like Fashion-MNIST. Small enough for tests, structured enough
 * that metrics are neither 0 nor 1. Shared with the services' tests through this module's test jar.
 */
public final class TinyDataset {

    private TinyDataset() {
    }

    public static Path write(Path dir, int classes, int perClass, int side, long seed) throws IOException {
        Random random = new Random(seed);
        int pixels = side * side;
        byte[][] patterns = new byte[classes][pixels];
        for (byte[] p : patterns) {
            random.nextBytes(p);
        }
        int total = classes * perClass;
        int train = total * 6 / 7;
        byte[] images = new byte[total * pixels];
        int[] labels = new int[total];
        for (int i = 0; i < total; i++) {
            labels[i] = i % classes;
            for (int p = 0; p < pixels; p++) {
                int v = (patterns[labels[i]][p] & 0xff) + (int) (random.nextGaussian() * 90);
                images[i * pixels + p] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        write(dir, MnistDirectory.TRAIN_IMAGES, MnistDirectory.TRAIN_LABELS, images, labels, 0, train, side);
        write(dir, MnistDirectory.TEST_IMAGES, MnistDirectory.TEST_LABELS, images, labels, train, total, side);
        return dir;
    }

    private static void write(Path dir, String imagesName, String labelsName, byte[] images, int[] labels, int from,
                              int to, int side) throws IOException {
        int pixels = side * side;
        byte[] part = java.util.Arrays.copyOfRange(images, from * pixels, to * pixels);
        Idx.write(dir.resolve(imagesName), IdxArray.ofUnsignedBytes(new int[] {to - from, side, side}, part));
        Idx.write(dir.resolve(labelsName), IdxArray.ofUnsignedByteLabels(java.util.Arrays.copyOfRange(labels, from, to)));
    }
}
