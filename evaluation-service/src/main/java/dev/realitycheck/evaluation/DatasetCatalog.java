package dev.realitycheck.evaluation;

import dev.realitycheck.data.catalog.BuiltinDatasets;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.proto.v1.DatasetSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a run's {@link DatasetSpec} to its images: a configured directory for the name, the
 * spec's own path, or a built-in dataset ({@link BuiltinDatasets}: Fashion-MNIST from the Debian package,
 * the glyphs generated from the installed fonts). Every image of the dataset (training
 * and test files together) is loaded once and kept, since held-out classes use them all.
 */
@ApplicationScoped
public class DatasetCatalog {

    /** The built-in default dataset. */
    static final String FASHION_MNIST = "fashion-mnist";

    @Inject
    EvaluationConfig config;

    private final Map<Path, LabeledImages> loaded = new ConcurrentHashMap<>();

    /** The directory a spec resolves to, if any exists. */
    Optional<Path> locate(DatasetSpec spec) {
        String name = spec.getName().isEmpty() ? FASHION_MNIST : spec.getName();
        Path configured = config.datasets().get(name);
        if (configured != null) {
            return Optional.of(configured).filter(MnistDirectory::isComplete);
        }
        if (!spec.getPath().isEmpty()) {
            return Optional.of(Path.of(spec.getPath())).filter(MnistDirectory::isComplete);
        }
        return BuiltinDatasets.find(name);
    }

    /** Every image of the dataset, loaded once. */
    LabeledImages load(DatasetSpec spec) throws IOException {
        Path dir = locate(spec).orElseThrow(() -> new IOException("dataset '" + spec.getName() + "' not found: configure "
                + "realitycheck.evaluation.datasets.\"" + spec.getName() + "\" or " + BuiltinDatasets.installHint(spec.getName().isEmpty() ? FASHION_MNIST : spec.getName())));
        LabeledImages images = loaded.get(dir);
        if (images == null) {
            images = MnistDirectory.load(dir, MnistSplit.ALL);
            loaded.put(dir, images);
        }
        return images;
    }
}
