package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The on-disk layouts of image datasets, each told apart by the files at its root
 * ({@link #detect}) and read by its own reader into an {@link ImageDataset}.
 */
public enum ImageLayout {

    /** CUB-200-2011: {@code images.txt}, {@code image_class_labels.txt}, {@code classes.txt}, {@code images/}. */
    CUB200,
    /** Stanford Cars196: {@code cars_annos.mat} (MATLAB v5) and {@code car_ims/}. */
    CARS196,
    /** Stanford Online Products: {@code Ebay_train.txt}, {@code Ebay_test.txt} and the category folders. */
    SOP,
    /** Any other dataset: {@code root/<class>/<image>}, classes sorted by folder name. */
    IMAGE_FOLDERS;

    /**
     * Tells the layout from the files present: {@code cars_annos.mat} is Cars196,
     * {@code images.txt} with {@code image_class_labels.txt} is CUB, the two Ebay lists are SOP,
     * and a directory with sub-directories is an image-folder tree.
     *
     * @throws IOException if {@code root} is not a directory or matches no layout (the message lists what was looked for)
     */
    public static ImageLayout detect(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a directory");
        }
        if (Files.isRegularFile(root.resolve(Cars196Reader.ANNOTATIONS))) {
            return CARS196;
        }
        if (Files.isRegularFile(root.resolve(CubReader.IMAGES)) && Files.isRegularFile(root.resolve(CubReader.LABELS))) {
            return CUB200;
        }
        if (Files.isRegularFile(root.resolve(SopReader.TRAIN)) && Files.isRegularFile(root.resolve(SopReader.TEST))) {
            return SOP;
        }
        try (var children = Files.list(root)) {
            if (children.anyMatch(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))) {
                return IMAGE_FOLDERS;
            }
        }
        throw new IOException(root + ": no known dataset layout (looked for " + Cars196Reader.ANNOTATIONS + "; "
                + CubReader.IMAGES + " with " + CubReader.LABELS + "; " + SopReader.TRAIN + " with " + SopReader.TEST
                + "; or one sub-directory per class)");
    }

    /** Reads a dataset of this layout. */
    ImageDataset read(Path root) throws IOException {
        return switch (this) {
            case CUB200 -> CubReader.read(root);
            case CARS196 -> Cars196Reader.read(root);
            case SOP -> SopReader.read(root);
            case IMAGE_FOLDERS -> ImageFolderReader.read(root);
        };
    }
}
