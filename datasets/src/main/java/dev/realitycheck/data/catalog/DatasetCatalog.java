package dev.realitycheck.data.catalog;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a dataset, named as an experiment names it, to its images, the same way in every
 * service: a directory configured for the name, else the dataset's own path (only under the
 * service's {@link DataRoots}), else a built-in dataset ({@link BuiltinDatasets}). Every image of a dataset (training and test files together,
 * {@link MnistSplit#ALL}) is loaded once and kept, since class splits and held-out classes are over
 * all of them. Thread-safe.
 */
public final class DatasetCatalog {

    private final Map<String, Path> configured;
    private final String settingPrefix;
    private final DataRoots roots;
    private final Map<Path, LabeledImages> loaded = new ConcurrentHashMap<>();

    /**
     * @param configured    dataset directories by name
     * @param settingPrefix the configuration key that holds {@code configured}, for error messages
     *                      (e.g. {@code realitycheck.trainer.datasets})
     * @param roots         where a dataset's own path may lie
     */
    public DatasetCatalog(Map<String, Path> configured, String settingPrefix, DataRoots roots) {
        this.configured = Map.copyOf(configured);
        this.settingPrefix = settingPrefix;
        this.roots = java.util.Objects.requireNonNull(roots, "roots");
    }

    /** @return the name a dataset resolves under: {@code name}, or Fashion-MNIST when it is empty */
    public static String name(String name) {
        return name == null || name.isEmpty() ? BuiltinDatasets.FASHION_MNIST : name;
    }

    /**
     * @param name the dataset's name (empty: Fashion-MNIST)
     * @param path the dataset's own directory (empty: none)
     * @return the complete MNIST-layout directory it resolves to, if any
     * @throws IllegalArgumentException if {@code path} is outside the data roots (the message names
     *                                  {@code dataset.path} and the roots)
     */
    public Optional<Path> locate(String name, String path) {
        Path dir = configured.get(name(name));
        if (dir != null) {
            return Optional.of(dir).filter(MnistDirectory::isComplete);
        }
        if (path != null && !path.isEmpty()) {
            return Optional.of(roots.resolve(path)).filter(MnistDirectory::isComplete);
        }
        return BuiltinDatasets.find(name(name));
    }

    /**
     * @return every image of the dataset, loaded on first use
     * @throws IOException if it resolves to nothing (the message says how to provide it), its path is
     *                     outside the data roots, or it cannot be read
     */
    public LabeledImages load(String name, String path) throws IOException {
        String resolved = name(name);
        Path dir;
        try {
            dir = locate(name, path).orElseThrow(() -> new IOException("dataset '" + resolved + "' not found: configure "
                    + settingPrefix + ".\"" + resolved + "\" or " + BuiltinDatasets.installHint(resolved)));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return loadDirectory(dir);
    }

    /**
     * @param dir a directory {@link #locate} gave
     * @return every image in it, loaded on first use
     */
    public LabeledImages loadDirectory(Path dir) throws IOException {
        try {
            return loaded.computeIfAbsent(dir, d -> {
                try {
                    return MnistDirectory.load(d, MnistSplit.ALL);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
