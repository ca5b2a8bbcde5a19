package dev.realitycheck.data.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The directories under which a spec's or request's {@code dataset.path} (and the trainer's
 * weight files and feature-extractor SavedModels) may lie, so that a client cannot make a service
 * read any file it can see. A path is normalised and its symbolic
 * links resolved before the check, so neither {@code ..} nor a link inside a root can lead out of
 * it. Datasets named in configuration or built in are not paths from a client and are not checked.
 *
 * @param roots   the allowed directories, absolute
 * @param setting the configuration key that holds them, for error messages (e.g. {@code realitycheck.trainer.data-roots})
 */
public record DataRoots(List<Path> roots, String setting) {

    /**
     * The services' default roots: {@code /usr/share/datasets} (where Debian's dataset packages,
     * Fashion-MNIST among them, install) and {@code /data} (where the Helm chart mounts the dataset volume).
     */
    public static final String DEFAULTS = "/usr/share/datasets,/data";

    /** Validates and copies the roots. */
    public DataRoots {
        Objects.requireNonNull(setting, "setting");
        roots = List.copyOf(roots);
        for (Path root : roots) {
            if (!root.isAbsolute()) {
                throw new IllegalArgumentException(setting + ": a data root must be an absolute path, got " + root);
            }
        }
    }

    /**
     * @param path a dataset path as a client gave it
     * @return the path, normalised with its links resolved, if it lies under one of the roots
     * @throws IllegalArgumentException naming {@code dataset.path} and the roots if it does not, or is not absolute
     */
    public Path resolve(String path) {
        return resolve("dataset.path", path);
    }

    /**
     * @param field the spec field that gave the path, for the message (e.g. {@code settings.pretrained_weights})
     * @param path  a path as a client gave it (a dataset, a weight file, a SavedModel)
     * @return the path, normalised with its links resolved, if it lies under one of the roots
     * @throws IllegalArgumentException starting with {@code field} and naming the roots if it does not, or is not absolute
     */
    public Path resolve(String field, String path) {
        Path given = Path.of(path);
        if (!given.isAbsolute()) {
            throw new IllegalArgumentException(field + " '" + path + "' must be an absolute path under the data roots "
                    + roots + " (" + setting + ")");
        }
        Path real = real(given);
        for (Path root : roots) {
            if (real.startsWith(real(root))) {
                return real;
            }
        }
        throw new IllegalArgumentException(field + " '" + path + "' is outside the data roots " + roots
                + " (" + setting + (field.equals("dataset.path") ? "; or name a configured or built-in dataset instead"
                : "") + ")");
    }

    /** The path with its existing part's links resolved and the rest normalised. */
    private static Path real(Path path) {
        Path normal = path.normalize();
        Path existing = normal;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return normal;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(normal)).normalize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
