package dev.realitycheck.data.images;

import dev.realitycheck.split.ClassSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An image dataset as its reader found it: where it is, its layout, its files with labels and
 * byte sizes, and its class names, all in the paper's label order (label {@code i} is
 * {@code classNames.get(i)}; CUB's class 1 is label 0). The images themselves are decoded by an
 * {@link ImageSource} ({@link ImageSources#open}).
 *
 * @param root       the dataset's directory, absolute
 * @param layout     how its files are laid out
 * @param entries    its image files, in the reader's order (the index files' order, or sorted paths)
 * @param classNames the name of each label
 */
public record ImageDataset(Path root, ImageLayout layout, List<ImageEntry> entries, List<String> classNames) {

    /** Validates that every label names a class and copies the lists. */
    public ImageDataset {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(layout, "layout");
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("dataset root must be absolute, got " + root);
        }
        entries = List.copyOf(entries);
        classNames = List.copyOf(classNames);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(root + ": the dataset has no images");
        }
        for (ImageEntry e : entries) {
            if (e.label() >= classNames.size()) {
                throw new IllegalArgumentException(e.path() + ": label " + e.label() + " but only " + classNames.size() + " classes");
            }
        }
    }

    /** @return the number of images */
    public int size() {
        return entries.size();
    }

    /** @return the file of image {@code index} */
    public Path file(int index) {
        return root.resolve(entries.get(index).path());
    }

    /** @return every image's label, in entry order */
    public int[] labels() {
        return entries.stream().mapToInt(ImageEntry::label).toArray();
    }

    /** @return images per label */
    public int[] classSizes() {
        int[] counts = new int[classNames.size()];
        entries.forEach(e -> counts[e.label()]++);
        return counts;
    }

    /**
     * The paper's class split of the labels that have images: first half train/validation, cut
     * into {@code folds} class-disjoint folds, second half test.
     */
    public ClassSplit split(int folds) {
        return ClassSplit.of(labels(), folds);
    }

    /** @return the content fingerprint ({@link DatasetFingerprint}) */
    public String fingerprint() {
        return DatasetFingerprint.of(layout, entries);
    }

    /**
     * What looks wrong without decoding: zero-byte files, classes without images, and classes of one
     * image (accepted: such an image is a query without a relevant reference, which the metrics'
     * lone-query rule handles).
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        entries.stream().filter(e -> e.bytes() == 0).forEach(e -> problems.add(e.path() + ": zero bytes"));
        int[] sizes = classSizes();
        for (int c = 0; c < sizes.length; c++) {
            if (sizes[c] == 0) {
                problems.add("class " + c + " '" + classNames.get(c) + "': no images");
            } else if (sizes[c] == 1) {
                problems.add("class " + c + " '" + classNames.get(c) + "': one image (accepted; a lone query)");
            }
        }
        return problems;
    }
}
