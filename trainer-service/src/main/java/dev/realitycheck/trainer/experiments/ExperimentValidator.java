package dev.realitycheck.trainer.experiments;

import com.google.protobuf.Timestamp;
import dev.realitycheck.data.catalog.BuiltinDatasets;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.TrainingSettings;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.trainer.runs.InvalidSpecException;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.trainer.search.SearchSpaces;
import dev.realitycheck.trainer.training.RunDatasets;
import dev.realitycheck.trainer.training.RunFold;
import dev.realitycheck.trainer.training.RunRecipe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an {@link ExperimentSpec} completely before anything starts and expands it into its runs.
 * Every loss is built for every fold it runs on with the trainer's own {@link RunRecipe}, so an
 * accepted experiment cannot fail on its settings later; the first problem is reported as an
 * {@link InvalidSpecException} naming the field.
 */
public final class ExperimentValidator {

    private final RunDatasets datasets;
    private final ExperimentLimits limits;

    /**
     * @param datasets where datasets are found
     * @param limits   the bounds checked first, before the dataset is read
     */
    public ExperimentValidator(RunDatasets datasets, ExperimentLimits limits) {
        this.datasets = datasets;
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /** @return the bounds this validator checks first */
    public ExperimentLimits limits() {
        return limits;
    }

    /**
     * @param experimentId the id the runs get
     * @param spec         the spec
     * @param now          the runs' creation time
     * @return the runs, see {@link RunPlanner#expand}
     * @throws InvalidSpecException naming the first bad field; a
     *                              {@link dev.realitycheck.trainer.runs.SpecLimitException} when one
     *                              is over its {@link ExperimentLimits}, checked before anything else
     */
    public List<RunSpec> validate(String experimentId, ExperimentSpec spec, Timestamp now) {
        if (!spec.hasSettings()) {
            throw new InvalidSpecException("settings", "is missing");
        }
        limits.check(spec);
        checkLosses(spec.getLossesList());
        checkFiles(spec.getSettings());
        int trainClasses = (int) java.util.Arrays.stream(labels(spec)).distinct().count() / 2;
        int foldCount = RunPlanner.foldCount(spec, trainClasses);
        if (foldCount < 2 || foldCount > trainClasses) {
            throw new InvalidSpecException("dataset.split.folds", "must be in [2, " + trainClasses
                    + "] (the train half's classes), got " + foldCount);
        }
        if (spec.getDataset().getSplit().getTrainClassCount() != 0
                && spec.getDataset().getSplit().getTrainClassCount() != trainClasses) {
            throw new InvalidSpecException("dataset.split.train_class_count", "must be 0 or half of the classes ("
                    + trainClasses + "): other train halves are not supported");
        }
        int[] folds = RunPlanner.folds(spec, foldCount);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < folds.length; i++) {
            if (folds[i] < 0 || folds[i] >= foldCount || !seen.add(folds[i])) {
                throw new InvalidSpecException("dataset.split.run_folds[" + i + "]", "must be a distinct fold in [0, "
                        + foldCount + "), got " + folds[i]);
            }
        }
        if (spec.getSeedsList().isEmpty() && spec.getReproductions() < 0) {
            throw new InvalidSpecException("reproductions", "must be >= 0, got " + spec.getReproductions());
        }
        if (new HashSet<>(spec.getSeedsList()).size() != spec.getSeedsCount()) {
            throw new InvalidSpecException("seeds", "must be distinct, got " + spec.getSeedsList());
        }
        List<RunSpec> runs = RunPlanner.expand(experimentId, spec, foldCount, now);
        for (int i = 0; i < spec.getLossesCount(); i++) {
            if (spec.getLosses(i).hasSearch()) {
                SearchSpaces.check(spec.getLosses(i), "losses[" + i + "]");
                for (RunSpec corner : SearchSpaces.cornerRuns(experimentId, spec, i, foldCount, folds)) {
                    RunRecipe.of(corner, fold(corner), "losses[" + i + "]", Path.of("unused"),
                            SessionThreads.DEFAULT);
                }
            }
        }
        Set<String> checked = new HashSet<>();
        for (RunSpec run : runs) {
            int loss = spec.getLossesList().indexOf(run.getLoss());
            if (checked.add(loss + "/" + run.getFold())) {
                RunRecipe.of(run, fold(run), "losses[" + loss + "]", Path.of("unused"),
                        SessionThreads.DEFAULT);
            }
        }
        return runs;
    }

    /** The weight file and feature extractor a spec names lie under the data roots, as its dataset path must. */
    private void checkFiles(TrainingSettings settings) {
        if (!settings.getPretrainedWeights().isEmpty()) {
            datasets.underDataRoots("settings.pretrained_weights", settings.getPretrainedWeights());
        }
        if (!settings.getTrunkPath().isEmpty()) {
            datasets.underDataRoots("settings.trunk_path", settings.getTrunkPath());
        }
    }

    private static void checkLosses(List<LossConfig> losses) {
        if (losses.isEmpty()) {
            throw new InvalidSpecException("losses", "must name at least one loss");
        }
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < losses.size(); i++) {
            String label = RunPlanner.label(losses.get(i));
            if (label.isEmpty()) {
                throw new InvalidSpecException("losses[" + i + "].name", "is missing (and so is loss)");
            }
            if (!labels.add(label)) {
                throw new InvalidSpecException("losses[" + i + "].name", "'" + label + "' is used by an earlier loss");
            }
        }
    }

    /** The run's fold (nothing decoded: the images are read when it trains). */
    private RunFold fold(RunSpec run) {
        try {
            return datasets.fold(run);
        } catch (IOException e) {
            throw new InvalidSpecException("dataset", "cannot be read: " + e.getMessage());
        }
    }

    /** Every image's label; checks that the dataset resolves and can be read. */
    private int[] labels(ExperimentSpec spec) {
        DatasetFormat format = spec.getDataset().getFormat();
        if (RunDatasets.isImage(spec.getDataset())) {
            if (spec.getDataset().getPath().isEmpty() && spec.getDataset().getName().isEmpty()) {
                throw new InvalidSpecException("dataset.path", "is missing: an image dataset (" + format
                        + ") needs its directory, under the trainer's data roots (" + RunDatasets.DATA_ROOTS_SETTING
                        + ")");
            }
            try {
                return datasets.images(spec.getDataset()).labels();
            } catch (IOException e) {
                throw new InvalidSpecException(spec.getDataset().getPath().isEmpty() ? "dataset" : "dataset.path",
                        "cannot be read as " + format + ": " + e.getMessage());
            }
        }
        if (format != DatasetFormat.DATASET_FORMAT_UNSPECIFIED && format != DatasetFormat.DATASET_FORMAT_IDX) {
            throw new InvalidSpecException("dataset.format", format + " is not supported by the trainer: IDX, "
                    + "IMAGE_FOLDERS, CUB200, CARS196 or SOP");
        }
        java.util.Optional<Path> located;
        try {
            located = datasets.locate(spec.getDataset());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("dataset.path", e.getMessage().replaceFirst("^dataset\\.path ", ""));
        }
        if (located.isEmpty()) {
            String name = RunDatasets.name(spec.getDataset());
            throw new InvalidSpecException("dataset", "'" + name + "' not found: configure "
                    + RunDatasets.SETTING_PREFIX + ".\"" + name + "\", give a path to an MNIST-layout directory, or "
                    + BuiltinDatasets.installHint(name));
        }
        try {
            return datasets.load(spec.getDataset()).labels();
        } catch (IOException e) {
            throw new InvalidSpecException("dataset", "cannot be read: " + e.getMessage());
        }
    }
}
