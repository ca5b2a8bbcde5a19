package dev.realitycheck.trainer.training;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.data.catalog.DatasetCatalog;
import dev.realitycheck.data.images.DecodedCache;
import dev.realitycheck.data.images.FileDecoder;
import dev.realitycheck.data.images.ImageDataset;
import dev.realitycheck.data.images.ImageLayout;
import dev.realitycheck.data.images.ImageSources;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.trainer.TrainerConfig;
import dev.realitycheck.trainer.runs.InvalidSpecException;
import dev.realitycheck.trainer.runs.RunPlanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The datasets of runs as the trainer reads them. Resolving a {@link DatasetSpec} and loading its
 * images are the shared {@link DatasetCatalog}'s (a directory configured under
 * {@value #SETTING_PREFIX}, the spec's own path, or a built-in dataset; every image loaded once);
 * this class adds only what the trainer needs on top: the images of a run's fold and the fold count
 * of an experiment.
 */
public final class RunDatasets {

    /** The configuration key of the dataset directories ({@link TrainerConfig#datasets()}). */
    public static final String SETTING_PREFIX = "realitycheck.trainer.datasets";

    /** The configuration key of the data roots ({@link TrainerConfig#dataRoots()}). */
    public static final String DATA_ROOTS_SETTING = "realitycheck.trainer.data-roots";

    private final DatasetCatalog catalog;
    private final DataRoots roots;

    /** @param configured dataset directories by name; a spec's own path only under the default data roots */
    public RunDatasets(Map<String, Path> configured) {
        this(configured, new DataRoots(Stream.of(DataRoots.DEFAULTS.split(",")).map(Path::of).toList(), DATA_ROOTS_SETTING));
    }

    /**
     * @param configured dataset directories by name
     * @param roots      where a spec's own {@code dataset.path} may lie
     */
    public RunDatasets(Map<String, Path> configured, DataRoots roots) {
        this.catalog = new DatasetCatalog(configured, SETTING_PREFIX, roots);
        this.roots = roots;
    }

    /**
     * A file or directory a spec names besides its dataset ({@code settings.pretrained_weights},
     * {@code settings.trunk_path}), under the same data roots as a spec's {@code dataset.path}.
     *
     * @throws InvalidSpecException naming {@code field} if it is not an absolute path under the roots
     */
    public Path underDataRoots(String field, String path) {
        try {
            return roots.resolve(field, path);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(field, e.getMessage().substring(field.length() + 1));
        }
    }

    /** The name a spec resolves to (empty: Fashion-MNIST). */
    public static String name(DatasetSpec spec) {
        return DatasetCatalog.name(spec.getName());
    }

    /**
     * The complete MNIST-layout directory a spec resolves to, if any.
     *
     * @throws IllegalArgumentException if the spec's path is outside the data roots (the message names {@code dataset.path})
     */
    public Optional<Path> locate(DatasetSpec spec) {
        return catalog.locate(spec.getName(), spec.getPath());
    }

    /**
     * Every image of the dataset, loaded once.
     *
     * @throws IOException if the spec resolves to nothing (the message says how to provide it) or cannot be read
     */
    public LabeledImages load(DatasetSpec spec) throws IOException {
        return catalog.load(spec.getName(), spec.getPath());
    }

    /**
     * The images one run may see: its fold's training and validation classes, never the test
     * classes (see {@link RunFold}). What the trainer trains and validates on.
     *
     * @throws IOException if the dataset cannot be read
     * @throws InvalidSpecException if the run's fold does not exist
     */
    public RunFold fold(RunSpec run) throws IOException {
        return fold(run, FileDecoder.IMAGE_IO);
    }

    /**
     * {@link #fold(RunSpec)}, an image dataset's files (when it has no decoded cache) decoded with {@code decoder}.
     *
     * @throws IOException if the dataset cannot be read
     * @throws InvalidSpecException if the run's fold does not exist
     */
    public RunFold fold(RunSpec run, FileDecoder decoder) throws IOException {
        DatasetSpec spec = run.getDataset();
        if (!isImage(spec)) {
            return RunRecipe.fold(run, load(spec));
        }
        ImageDataset dataset = images(spec);
        return RunRecipe.fold(run, ImageSources.open(dataset, DecodedCache.defaultDir(dataset), decoder),
                dataset.labels(), PIPELINE_WORKERS, dataset.fingerprint());
    }

    /** Image pipeline workers of a run: a batch is the same for any count. */
    static final int PIPELINE_WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    /** @return whether the spec names an image dataset (CUB-200-2011, Cars196, SOP or image folders) */
    public static boolean isImage(DatasetSpec spec) {
        return layout(spec.getFormat()).isPresent();
    }

    private static Optional<ImageLayout> layout(DatasetFormat format) {
        return Optional.ofNullable(switch (format) {
            case DATASET_FORMAT_IMAGE_FOLDERS -> ImageLayout.IMAGE_FOLDERS;
            case DATASET_FORMAT_CUB200 -> ImageLayout.CUB200;
            case DATASET_FORMAT_CARS196 -> ImageLayout.CARS196;
            case DATASET_FORMAT_SOP -> ImageLayout.SOP;
            default -> null;
        });
    }

    /**
     * An image dataset's index (files, labels, fingerprint), read once: the directory configured
     * for its name, else its {@code path} under the data roots.
     *
     * @throws IOException if it resolves to nothing or cannot be read (the message says which file)
     */
    public ImageDataset images(DatasetSpec spec) throws IOException {
        ImageLayout layout = layout(spec.getFormat()).orElseThrow(() -> new IllegalArgumentException(
                spec.getFormat() + " is not an image dataset format"));
        return catalog.loadImages(spec.getName(), spec.getPath(), layout);
    }

    /** @return the label of every image of the dataset (IDX or image dataset) */
    public int[] labels(DatasetSpec spec) throws IOException {
        return isImage(spec) ? images(spec).labels() : load(spec).labels();
    }

    /**
     * K of an experiment, as {@code StartExperiment} resolves it: its {@code dataset.split.folds},
     * or, when that is 0, the default for the train half of its dataset's classes
     * ({@link RunPlanner#foldCount}).
     *
     * @throws UncheckedIOException if the dataset has to be read and cannot be
     */
    public int foldCount(ExperimentSpec spec) {
        if (spec.getDataset().getSplit().getFolds() != 0) {
            return spec.getDataset().getSplit().getFolds();
        }
        try {
            int classes = (int) Arrays.stream(labels(spec.getDataset())).distinct().count();
            return RunPlanner.foldCount(spec, classes / 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
