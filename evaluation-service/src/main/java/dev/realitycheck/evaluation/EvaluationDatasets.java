package dev.realitycheck.evaluation;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.data.catalog.DatasetCatalog;
import dev.realitycheck.proto.v1.DatasetSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The datasets this service evaluates on: the library's {@link DatasetCatalog} (a configured
 * directory for the name, the spec's own path, or a built-in dataset; every image loaded once and
 * kept, since held-out classes use them all) over the directories configured under
 * {@value #SETTING_PREFIX} ({@link EvaluationConfig#datasets()}).
 */
@ApplicationScoped
public class EvaluationDatasets {

    /** The configuration key of the dataset directories, named in "not found" messages. */
    static final String SETTING_PREFIX = "realitycheck.evaluation.datasets";

    private final DatasetCatalog catalog;

    @Inject
    EvaluationDatasets(EvaluationConfig config) {
        this.catalog = new DatasetCatalog(config.datasets(), SETTING_PREFIX,
                new DataRoots(config.dataRoots(), "realitycheck.evaluation.data-roots"));
    }

    /**
     * The directory a spec resolves to, if a complete one exists.
     *
     * @throws IllegalArgumentException if the spec's path is outside the data roots ({@link EvaluationConfig#dataRoots()})
     */
    public Optional<Path> locate(DatasetSpec spec) {
        return catalog.locate(spec.getName(), spec.getPath());
    }

    /**
     * Every image of the spec's dataset, loaded once.
     *
     * @throws IOException if it resolves to nothing (the message says how to provide it) or cannot be read
     */
    public LabeledImages load(DatasetSpec spec) throws IOException {
        return catalog.load(spec.getName(), spec.getPath());
    }
}
