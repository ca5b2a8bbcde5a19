package dev.realitycheck.data.images;

import java.util.Objects;

/**
 * One image file of an {@link ImageDataset}.
 *
 * @param path  the file, relative to the dataset's root, {@code /}-separated, never absolute and
 *              never leaving the root ({@code ..})
 * @param label its class: an index into {@link ImageDataset#classNames()}, in the paper's label order
 * @param bytes the file's size in bytes (0 is allowed here and reported as a problem)
 */
public record ImageEntry(String path, int label, long bytes) {

    /** Validates the path, label and size. */
    public ImageEntry {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")
                || java.util.Arrays.asList(path.split("/")).contains("..")) {
            throw new IllegalArgumentException("an image path must be relative, /-separated and inside the root, got '" + path + "'");
        }
        if (label < 0) {
            throw new IllegalArgumentException("label must not be negative, got " + label + " for " + path);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("byte size must not be negative, got " + bytes + " for " + path);
        }
    }
}
