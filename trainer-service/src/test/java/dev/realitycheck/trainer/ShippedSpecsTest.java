package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.HyperparameterRange;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.formats.ExperimentSpecFiles;
import dev.realitycheck.data.images.ImageDatasetFixtures;
import dev.realitycheck.trainer.experiments.ExperimentLimits;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.trainer.training.RunDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every experiment spec shipped in {@code specs/} parses and passes the trainer's own validation.
 * A dataset that is not installed here is replaced by a stand-in with the same number of classes
 * (IDX), or, for an image dataset, a small generated one in its layout (image folders, CUB-200-2011,
 * Cars196, SOP) with enough classes for the spec's folds and batches (the validation needs the
 * class count and image size, not the pictures). A weight file the spec names
 * ({@code settings.pretrained_weights}) is replaced by an empty file of the same name under a data
 * root of the test's own: the validator checks that it is a readable file under the roots, the
 * trainer reads it when a run starts. Search
 * spaces are checked by validating each range's both ends as fixed hyperparameters (the search
 * itself is the search coordinator's); the rest of the spec is validated with the search removed.
 */
class ShippedSpecsTest {

    /** Stand-ins by dataset name: classes, images per class, image side. */
    private static final Map<String, int[]> STAND_INS = Map.of("fashion-mnist", new int[] {10, 7, 28},
            "glyphs", new int[] {200, 7, 28}, "image-folder", new int[] {40, 3, 0}, "cub200", new int[] {40, 2, 0},
            "cars196", new int[] {40, 2, 0}, "sop", new int[] {40, 2, 0});

    @TempDir
    static Path tmp;

    @Test
    void everyShippedSpecParsesAndValidates() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("..", "specs"))) {
            files = list.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString())
                .contains("quick-fashion-mnist.yaml", "quick-glyphs.yaml", "quick-image-folder.yaml", "paper.yaml",
                        "paper-cub200.yaml", "paper-cars196.yaml", "paper-sop.yaml", "finetune-quick.yaml");
        for (Path file : files) {
            ExperimentSpec spec = withStandInWeights(ExperimentSpecFiles.read(file));
            ExperimentLimits.DEFAULTS.check(spec); // the default bounds admit it, searches included
            ExperimentValidator validator = new ExperimentValidator(catalog(spec), ExperimentLimits.DEFAULTS);
            ExperimentSpec.Builder fixed = spec.toBuilder();
            fixed.getLossesBuilderList().forEach(LossConfig.Builder::clearSearch);
            List<RunSpec> runs = validator.validate("exp-spec", fixed.build(), Timestamp.getDefaultInstance());
            int folds = RunPlanner.folds(spec, runs.getFirst().getFoldCount()).length; // the folds run_folds selects
            assertThat(runs).as(file.toString()).hasSize(spec.getLossesCount() * folds * RunPlanner.seeds(spec).length);
            for (int i = 0; i < spec.getLossesCount(); i++) {
                LossConfig loss = spec.getLosses(i);
                for (Map.Entry<String, HyperparameterRange> range : loss.getSearch().getRangesMap().entrySet()) {
                    HyperparameterRange r = range.getValue();
                    assertThat(r.getMax()).as(file + " " + loss.getName() + "." + range.getKey()).isGreaterThanOrEqualTo(r.getMin());
                    if (r.getLogScale()) {
                        assertThat(r.getMin()).as(file + " " + loss.getName() + "." + range.getKey()).isPositive();
                    }
                    for (double end : new double[] {r.getMin(), r.getMax()}) {
                        ExperimentSpec one = fixed.clone().clearLosses().addLosses(loss.toBuilder().clearSearch()
                                .putHyperparameters(range.getKey(), end)).build();
                        assertThat(validator.validate("exp-range", one, Timestamp.getDefaultInstance())).isNotEmpty();
                    }
                }
            }
        }
    }

    /** The spec with its weight file, if it names one, replaced by an empty file of that name under {@link #tmp}. */
    private static ExperimentSpec withStandInWeights(ExperimentSpec spec) throws Exception {
        String weights = spec.getSettings().getPretrainedWeights();
        if (weights.isEmpty()) {
            return spec;
        }
        Path standIn = Files.createDirectories(tmp.resolve("weights")).resolve(Path.of(weights).getFileName());
        if (!Files.exists(standIn)) {
            Files.createFile(standIn);
        }
        ExperimentSpec.Builder b = spec.toBuilder();
        b.getSettingsBuilder().setPretrainedWeights(standIn.toString());
        return b.build();
    }

    /** The real dataset when it is installed, otherwise a stand-in with its class count. */
    private static RunDatasets catalog(ExperimentSpec spec) throws Exception {
        RunDatasets installed = new RunDatasets(Map.of());
        if (!RunDatasets.isImage(spec.getDataset()) && installed.locate(spec.getDataset()).isPresent()) {
            return installed;
        }
        String name = RunDatasets.name(spec.getDataset());
        int[] shape = STAND_INS.get(name);
        assertThat(shape).as("a stand-in for dataset " + name).isNotNull();
        Path dir = tmp.resolve(name);
        if (!Files.isDirectory(dir)) {
            switch (spec.getDataset().getFormat()) {
                case DATASET_FORMAT_IMAGE_FOLDERS -> ImageDatasetFixtures.imageFolders(dir, shape[0], shape[1]);
                case DATASET_FORMAT_CUB200 -> ImageDatasetFixtures.cub(dir, shape[0], shape[1]);
                case DATASET_FORMAT_CARS196 -> ImageDatasetFixtures.cars196(dir, shape[0], shape[1]);
                case DATASET_FORMAT_SOP -> ImageDatasetFixtures.sop(dir, shape[0], shape[1]);
                default -> TinyDataset.write(Files.createDirectories(dir), shape[0], shape[1], shape[2], 1);
            }
        }
        return new RunDatasets(Map.of(name, dir), new DataRoots(List.of(tmp.toAbsolutePath()),
                RunDatasets.DATA_ROOTS_SETTING));
    }
}
