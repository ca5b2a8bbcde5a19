package dev.realitycheck.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory laid out like the MNIST and Fashion-MNIST downloads: four IDX files, each either
 * raw or gzip-compressed with a {@code .gz} suffix (a raw file is preferred when both exist).
 *
 * <pre>
 * train-images-idx3-ubyte[.gz]   train-labels-idx1-ubyte[.gz]
 * t10k-images-idx3-ubyte[.gz]    t10k-labels-idx1-ubyte[.gz]
 * </pre>
 */
public final class MnistDirectory {

    /** Training images. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Test images. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final List<String> ALL_FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private MnistDirectory() {
    }

    /**
     * @param directory a directory
     * @return whether all four files are there, raw or gzipped
     */
    public static boolean isComplete(Path directory) {
        return ALL_FILES.stream().allMatch(name -> find(directory, name) != null);
    }

    /**
     * @param directory a directory
     * @param baseName  one of the four file names, without {@code .gz}
     * @return the raw file if present, otherwise the {@code .gz} one
     * @throws NoSuchFileException naming both candidates if neither exists
     */
    public static Path resolve(Path directory, String baseName) throws NoSuchFileException {
        Path found = find(directory, baseName);
        if (found == null) {
            throw new NoSuchFileException(directory.resolve(baseName).toString(), null,
                    "neither " + baseName + " nor " + baseName + ".gz is in " + directory);
        }
        return found;
    }

    private static Path find(Path directory, String baseName) {
        Path raw = directory.resolve(baseName);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = directory.resolve(baseName + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /**
     * Loads one split, or both concatenated (training images first).
     *
     * @param directory the directory
     * @param split     which files to read
     * @return the images with their labels
     * @throws NoSuchFileException if a needed file is missing
     * @throws IdxFormatException  if a file is malformed or images and labels do not match
     * @throws IOException         if a file cannot be read
     */
    public static LabeledImages load(Path directory, MnistSplit split) throws IOException {
        return switch (split) {
            case TRAIN -> Idx.readLabeledImages(resolve(directory, TRAIN_IMAGES), resolve(directory, TRAIN_LABELS));
            case TEST -> Idx.readLabeledImages(resolve(directory, TEST_IMAGES), resolve(directory, TEST_LABELS));
            case ALL -> {
                Path testImages = resolve(directory, TEST_IMAGES);
                Path testLabels = resolve(directory, TEST_LABELS);
                LabeledImages train = load(directory, MnistSplit.TRAIN);
                LabeledImages test = Idx.readLabeledImages(testImages, testLabels);
                if (test.height() != train.height() || test.width() != train.width()) {
                    throw new IdxFormatException(testImages, "dimension mismatch: " + test.height() + " x "
                            + test.width() + " images, but the training images are " + train.height() + " x "
                            + train.width());
                }
                yield train.concat(test);
            }
        };
    }
}
