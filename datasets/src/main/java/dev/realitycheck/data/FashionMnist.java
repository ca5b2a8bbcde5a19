package dev.realitycheck.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST: 70,000 grey-scale 28 x 28 images of clothing in ten classes, 7,000 per class
 * (60,000 training and 10,000 test images).
 *
 * <p>On Debian and Ubuntu the package {@value #DEBIAN_PACKAGE} installs the four gzipped IDX
 * files in {@code /usr/share/datasets/fashion-mnist} (see {@code dpkg -L dataset-fashion-mnist}).
 * Elsewhere, point {@link MnistDirectory#load(Path, MnistSplit)} at a directory holding the
 * official download.
 */
public final class FashionMnist {

    /** The Debian package that installs the dataset. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    /** Where {@value #DEBIAN_PACKAGE} puts the files. */
    public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Images per class over training and test sets together. */
    public static final int IMAGES_PER_CLASS = 7_000;

    private FashionMnist() {
    }

    /** @return {@link #DEBIAN_DIRECTORY} if it holds all four files */
    public static Optional<Path> findDebianInstall() {
        return MnistDirectory.isComplete(DEBIAN_DIRECTORY) ? Optional.of(DEBIAN_DIRECTORY) : Optional.empty();
    }

    /**
     * Loads the copy installed by the Debian package.
     *
     * @param split which part
     * @return the images with their labels
     * @throws NoSuchFileException saying how to install it if it is not installed
     * @throws IOException         if a file cannot be read or is malformed
     */
    public static LabeledImages loadDebianInstall(MnistSplit split) throws IOException {
        Path directory = findDebianInstall().orElseThrow(() -> new NoSuchFileException(DEBIAN_DIRECTORY.toString(),
                null, "Fashion-MNIST is not installed there; run 'apt-get install " + DEBIAN_PACKAGE
                        + "' or load a directory holding the official download"));
        return MnistDirectory.load(directory, split);
    }
}
