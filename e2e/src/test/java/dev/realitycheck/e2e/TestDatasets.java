package dev.realitycheck.e2e;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.Idx;
import dev.realitycheck.data.IdxArray;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.TinyDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The data of the end-to-end test, as an MNIST-layout directory: the first images of each of
 * Fashion-MNIST's files when the Debian package is installed (real images, few enough that every
 * checkpoint is scored in seconds on two cores), else {@link TinyDataset}'s 28 x 28 classes.
 */
final class TestDatasets {

    /** Images taken from the train file (the t10k file gives a sixth as many). */
    static final int TRAIN_IMAGES = 1800;

    private TestDatasets() {
    }

    /** Writes the data into {@code dir} and returns it. */
    static Path fashionMnistOrTiny(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (FashionMnist.findDebianInstall().isEmpty()) {
            return TinyDataset.write(dir, 10, 70, 28, 11);
        }
        head(MnistSplit.TRAIN, TRAIN_IMAGES, dir, MnistDirectory.TRAIN_IMAGES, MnistDirectory.TRAIN_LABELS);
        head(MnistSplit.TEST, TRAIN_IMAGES / 6, dir, MnistDirectory.TEST_IMAGES, MnistDirectory.TEST_LABELS);
        return dir;
    }

    /** True when the test runs on real Fashion-MNIST images. */
    static boolean realFashionMnist() {
        return FashionMnist.findDebianInstall().isPresent();
    }

    private static void head(MnistSplit split, int count, Path dir, String imagesName, String labelsName) throws IOException {
        LabeledImages all = FashionMnist.loadDebianInstall(split);
        int pixels = all.pixelsPerImage();
        byte[] images = Arrays.copyOf(all.pixels(), count * pixels);
        int[] labels = Arrays.copyOf(all.labels(), count);
        Idx.write(dir.resolve(imagesName), IdxArray.ofUnsignedBytes(new int[] {count, all.height(), all.width()}, images));
        Idx.write(dir.resolve(labelsName), IdxArray.ofUnsignedByteLabels(labels));
    }
}
