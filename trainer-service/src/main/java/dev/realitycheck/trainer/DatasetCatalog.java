package dev.realitycheck.trainer;

import dev.realitycheck.data.catalog.BuiltinDatasets;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.data.split.FoldImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Resolves a {@link DatasetSpec} to its images as the evaluation-service does: a configured
 * directory for the name, the spec's own path, or a built-in dataset ({@link BuiltinDatasets}: Fashion-MNIST from the Debian package,
 * the glyphs generated from the installed fonts). Every image
 * (training and test files together, {@link MnistSplit#ALL}) is loaded once and kept: the class
 * split ({@link dev.realitycheck.split.ClassSplit}) is over all of them, like the evaluator's.
 */
public final class DatasetCatalog {

    /** The built-in default dataset. */
    public static final String FASHION_MNIST = "fashion-mnist";

    private final Map<String, Path> configured;
    private final Map<Path, LabeledImages> loaded = new ConcurrentHashMap<>();

    /** @param configured dataset directories by name */
    public DatasetCatalog(Map<String, Path> configured) {
        this.configured = Map.copyOf(configured);
    }

    /** The name a spec resolves to (empty: Fashion-MNIST). */
    public static String name(DatasetSpec spec) {
        return spec.getName().isEmpty() ? FASHION_MNIST : spec.getName();
    }

    /** The complete MNIST-layout directory a spec resolves to, if any. */
    public Optional<Path> locate(DatasetSpec spec) {
        String name = name(spec);
        Path dir = configured.get(name);
        if (dir != null) {
            return Optional.of(dir).filter(MnistDirectory::isComplete);
        }
        if (!spec.getPath().isEmpty()) {
            return Optional.of(Path.of(spec.getPath())).filter(MnistDirectory::isComplete);
        }
        return BuiltinDatasets.find(name);
    }

    /** Every image of the dataset, loaded once. */
    public LabeledImages load(DatasetSpec spec) throws IOException {
        Path dir = locate(spec).orElseThrow(() -> new IOException("dataset '" + name(spec) + "' not found: configure "
                + "realitycheck.trainer.datasets.\"" + name(spec) + "\" or " + BuiltinDatasets.installHint(name(spec))));
        try {
            return loaded.computeIfAbsent(dir, unchecked(d -> MnistDirectory.load(d, MnistSplit.ALL)));
        } catch (UncheckedLoad e) {
            throw e.getCause();
        }
    }

    /**
     * The images one run may see: its fold's training and validation classes, never the test
     * classes (see {@link FoldImages}). What the trainer trains and validates on.
     *
     * @throws IOException if the dataset cannot be read
     * @throws InvalidSpecException if the run's fold does not exist
     */
    public FoldImages fold(RunSpec run) throws IOException {
        return RunRecipe.fold(run, load(run.getDataset()));
    }

    private interface Loader {
        LabeledImages load(Path dir) throws IOException;
    }

    private static Function<Path, LabeledImages> unchecked(Loader loader) {
        return dir -> {
            try {
                return loader.load(dir);
            } catch (IOException e) {
                throw new UncheckedLoad(e);
            }
        };
    }

    private static final class UncheckedLoad extends RuntimeException {
        UncheckedLoad(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
