package dev.realitycheck.trainer;

import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.data.images.ImageDatasetFixtures;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.data.glyphs.GlyphCache;
import dev.realitycheck.data.glyphs.GlyphParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.trainer.experiments.ExperimentLimits;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.trainer.runs.InvalidSpecException;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.proto.v1.OptimizerSpec;
import dev.realitycheck.train.RmsProp;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.train.TrainingConfig;
import dev.realitycheck.train.UpdateSettings;
import dev.realitycheck.trainer.training.RunDatasets;
import dev.realitycheck.trainer.training.RunRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Validation and expansion of experiment specs, on the tiny dataset (no Quarkus, no broker). */
class ExperimentValidatorTest {

    private static ExperimentValidator validator;
    /** A data root of the tests' own: weight files and SavedModels a spec names must lie under one. */
    private static Path files;
    /** The tiny dataset's directory. */
    private static Path dir;

    @BeforeAll
    static void dataset() throws Exception {
        dir = TinyDataset.write(Files.createTempDirectory("tiny-validator"), 10, 14, Specs.SIDE, 3);
        files = Files.createTempDirectory("validator-files");
        validator = validator(Map.of("tiny", dir));
    }

    /** A validator over {@code datasets} whose data roots are the defaults and {@link #files}. */
    private static ExperimentValidator validator(Map<String, Path> datasets) {
        return new ExperimentValidator(new RunDatasets(datasets, new DataRoots(List.of(Path.of("/usr/share/datasets"),
                Path.of("/data"), files), RunDatasets.DATA_ROOTS_SETTING)), ExperimentLimits.DEFAULTS);
    }

    @Test
    void expandsLossesTimesFoldsTimesSeedsWithDeterministicIds() {
        ExperimentSpec spec = Specs.tiny("tiny", 20, 10)
                .addLosses(LossConfig.newBuilder().setName("ms").setLoss("multi_similarity")
                        .putHyperparameters("alpha", 2.0))
                .setDataset(Specs.tiny("tiny", 1, 1).getDataset().toBuilder().setSplit(
                        Specs.tiny("tiny", 1, 1).getDataset().getSplit().toBuilder().clearRunFolds()))
                .clearSeeds().addSeeds(7).addSeeds(8).build();
        List<RunSpec> runs = validator.validate("exp-a", spec, Timestamp.getDefaultInstance());
        assertThat(runs).extracting(RunSpec::getRunId).containsExactly(
                "exp-a.contrastive.fold0.seed7", "exp-a.contrastive.fold0.seed8",
                "exp-a.contrastive.fold1.seed7", "exp-a.contrastive.fold1.seed8",
                "exp-a.ms.fold0.seed7", "exp-a.ms.fold0.seed8", "exp-a.ms.fold1.seed7", "exp-a.ms.fold1.seed8");
        assertThat(runs).allSatisfy(r -> assertThat(r.getFoldCount()).isEqualTo(2));
        assertThat(runs.get(4).getLoss().getLoss()).isEqualTo("multi_similarity");
        assertThat(validator.validate("exp-a", spec, Timestamp.getDefaultInstance())).isEqualTo(runs);
        assertThat(RunPlanner.experimentId("req-1")).isEqualTo(RunPlanner.experimentId("req-1"))
                .isNotEqualTo(RunPlanner.experimentId("req-2"));
    }

    @Test
    void theBuiltInGlyphDatasetIsFoundByNameAndUnknownNamesListTheBuiltIns() throws Exception {
        Path fonts = Path.of("/usr/share/fonts/truetype/dejavu");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fonts), "fonts-dejavu-core is not installed");
        String oldFonts = System.getProperty(GlyphParams.FONTS_PROPERTY);
        String oldCache = System.getProperty(GlyphCache.CACHE_PROPERTY);
        System.setProperty(GlyphParams.FONTS_PROPERTY, fonts.toString());
        System.setProperty(GlyphCache.CACHE_PROPERTY, Files.createTempDirectory("glyph-cache").toString());
        try {
            List<RunSpec> runs = validator.validate("g", Specs.tiny("glyphs", 5, 0).build(), Timestamp.getDefaultInstance());
            assertThat(runs).singleElement().satisfies(r -> {
                assertThat(r.getDataset().getName()).isEqualTo("glyphs");
                assertThat(r.getFoldCount()).isEqualTo(2);
            });
        } finally {
            restore(GlyphParams.FONTS_PROPERTY, oldFonts);
            restore(GlyphCache.CACHE_PROPERTY, oldCache);
        }
        assertInvalid(s -> s.setDataset(DatasetSpec.newBuilder().setName("nowhere")), "dataset", "[fashion-mnist, glyphs]");
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void reproductionsSeedZeroToNMinusOne() {
        List<RunSpec> runs = validator.validate("e", Specs.tiny("tiny", 5, 0).clearSeeds().setReproductions(3).build(),
                Timestamp.getDefaultInstance());
        assertThat(runs).extracting(RunSpec::getSeed).containsExactly(0L, 1L, 2L);
    }

    @Test
    void anUnknownLossIsNamedByItsField() {
        assertInvalid(s -> s.addLosses(LossConfig.newBuilder().setName("foo")), "losses[1].name",
                "losses[1].name 'foo' is not a loss: known are [");
        assertInvalid(s -> s.addLosses(LossConfig.newBuilder().setName("x").setLoss("bar")), "losses[1].loss",
                "'bar' is not a loss");
    }

    @Test
    void badHyperparametersUseTheCatalogsMessages() {
        assertInvalid(s -> s.setLosses(0, LossConfig.newBuilder().setName("contrastive").putHyperparameters("nope", 1)),
                "losses[0].hyperparameters", "has no hyperparameter nope");
        assertInvalid(s -> s.setLosses(0, LossConfig.newBuilder().setName("triplet_margin")
                .putHyperparameters("margin", Double.NaN)), "losses[0].hyperparameters", "must be finite");
        assertInvalid(s -> s.setLosses(0, LossConfig.newBuilder().setName("contrastive").setMiner("nominer")),
                "losses[0].miner", "'nominer' is not a miner");
    }

    @Test
    void bnInceptionAndTheInitializationSettingAreCheckedBeforeAnyRun() throws Exception {
        assertInvalid(s -> s.getSettingsBuilder().setTrunk("bn_inception"), "settings.trunk",
                "bn_inception cannot take the dataset's 8 x 8 images");
        assertInvalid(s -> s.getSettingsBuilder().setTrunk("bn_inception").putExtra("freeze_trunk", 2),
                "settings.extra[\"freeze_trunk\"]", "must be 0 (fine-tune) or 1");
        assertInvalid(s -> s.getSettingsBuilder().setInitialization("he"), "settings.initialization",
                "known are [glorot, pytorch]");
        assertThat(validator.validate("i", Specs.tiny("tiny", 20, 10).setSettings(Specs.tiny("tiny", 20, 10)
                .getSettings().toBuilder().setInitialization("pytorch")).build(), Timestamp.getDefaultInstance()))
                .isNotEmpty();

        Path dir = TinyDataset.write(Files.createTempDirectory("tiny-bninception"), 10, 14, 32, 3);
        ExperimentValidator side32 = new ExperimentValidator(new RunDatasets(Map.of("tiny", dir)),
                ExperimentLimits.DEFAULTS);
        ExperimentSpec.Builder spec = Specs.tiny("tiny", 20, 10);
        spec.getSettingsBuilder().setTrunk("bn-inception").setFreezeBatchNorm(true).putExtra("freeze_trunk", 1);
        assertThat(side32.validate("b", spec.build(), Timestamp.getDefaultInstance())).isNotEmpty();
    }

    @Test
    void savedModelTrunkNeedsAnImageToFeaturesModelOfTheImagesSize() throws Exception {
        Path models = Files.createTempDirectory(files, "feature-trunks");
        dev.realitycheck.model.EmbeddingNetworks.exportUntrained(
                dev.realitycheck.model.EmbeddingNetworks.cnn(Specs.SIDE, Specs.SIDE, 16), 1, models.resolve("cnn"));
        dev.realitycheck.model.EmbeddingNetworks.exportUntrained(
                dev.realitycheck.model.EmbeddingNetworks.mlp(Specs.SIDE * Specs.SIDE, 16, 8), 1, models.resolve("mlp"));
        ExperimentSpec.Builder ok = Specs.tiny("tiny", 20, 10);
        ok.getSettingsBuilder().setTrunk("saved_model").setTrunkPath(models.resolve("cnn").toString()).clearAugmentation();
        assertThat(validator.validate("f", ok.build(), Timestamp.getDefaultInstance())).isNotEmpty();

        assertInvalid(s -> s.getSettingsBuilder().setTrunk("saved_model"), "settings.trunk_path",
                "must name the SavedModel directory");
        assertInvalid(s -> s.getSettingsBuilder().setTrunk("saved_model").setTrunkPath(models.resolve("mlp").toString())
                .clearAugmentation(), "settings.trunk_path", "input 'images' must be an image input DT_FLOAT [-1, H, W, C]");
        assertInvalid(s -> s.getSettingsBuilder().setTrunk("saved_model").setTrunkPath(models.resolve("cnn").toString())
                .setAugmentation(dev.realitycheck.proto.v1.AugmentationSpec.newBuilder().setHorizontalFlip(true)),
                "settings.augmentation", "must be off for trunk saved_model");
    }

    @Test
    void batchSettingsMustFitTheSamplerAndTheFold() {
        assertInvalid(s -> s.getSettingsBuilder().setBatchSize(10), "settings.batch_size", "multiple of m_per_class (4)");
        // fold 0 trains on classes 2, 3, 4: a batch of 4 classes cannot be drawn
        assertInvalid(s -> s.getSettingsBuilder().setBatchSize(16), "settings.batch_size",
                "needs 4 classes per batch, but fold 0 trains on only 3 classes [2, 3, 4]");
    }

    @Test
    void missingOrBadDatasetAndRunLengthAreRefused() {
        assertInvalid(s -> s.setDataset(DatasetSpec.newBuilder().setName("nowhere")), "dataset", "'nowhere' not found");
        assertInvalid(s -> s.setDataset(DatasetSpec.newBuilder().setName("elsewhere").setPath("/etc/../etc")), "dataset.path",
                "'/etc/../etc' is outside the data roots [/usr/share/datasets, /data, " + files
                        + "] (realitycheck.trainer.data-roots");
        assertInvalid(s -> s.getSettingsBuilder().setIterations(0), "settings.iterations", "must be in [1,");
        assertInvalid(s -> s.getDatasetBuilder().getSplitBuilder().setFolds(9), "dataset.split.folds", "must be in [2, 5]");
        assertInvalid(s -> s.getDatasetBuilder().getSplitBuilder().addRunFolds(2), "dataset.split.run_folds[1]",
                "distinct fold in [0, 2)");
        assertInvalid(s -> s.clearLosses(), "losses", "at least one");
        assertInvalid(s -> s.addLosses(LossConfig.newBuilder().setName("contrastive")), "losses[1].name",
                "used by an earlier loss");
        assertInvalid(s -> s.getSettingsBuilder().setTrunk("resnet101"), "settings.trunk", "not a trunk");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setName("adagrad"), "settings.optimizer.name",
                "not an optimizer");
    }

    @Test
    void imageDatasetsAreAcceptedUnderTheDataRootsAndRefusedWithTheReasonOtherwise() throws Exception {
        Path root = Files.createTempDirectory("validator-images");
        ImageDatasetFixtures.imageFolders(root.resolve("folders"), 8, 3);
        ExperimentValidator images = new ExperimentValidator(new RunDatasets(Map.of(),
                new DataRoots(List.of(root), RunDatasets.DATA_ROOTS_SETTING)), ExperimentLimits.DEFAULTS);
        Consumer<ExperimentSpec.Builder> folders = s -> {
            s.getDatasetBuilder().setName("folders").setFormat(DatasetFormat.DATASET_FORMAT_IMAGE_FOLDERS)
                    .setPath(root.resolve("folders").toString());
            s.getSettingsBuilder().setTrunk("small-cnn").setBatchSize(4).setMPerClass(2).getAugmentationBuilder()
                    .setCropSize(16);
        };
        ExperimentSpec.Builder ok = Specs.tiny("folders", 20, 10);
        folders.accept(ok);
        assertThat(images.validate("e", ok.build(), Timestamp.getDefaultInstance())).singleElement()
                .satisfies(r -> assertThat(r.getFoldCount()).isEqualTo(2));
        Map<String, Consumer<ExperimentSpec.Builder>> bad = Map.of(
                "outside the data roots", s -> s.getDatasetBuilder().setPath("/etc"),
                "cannot be read as DATASET_FORMAT_CUB200", s -> s.getDatasetBuilder()
                        .setFormat(DatasetFormat.DATASET_FORMAT_CUB200),
                "multiple of 4", s -> s.getSettingsBuilder().getAugmentationBuilder().setCropSize(18),
                "is missing", s -> s.getDatasetBuilder().clearName().clearPath());
        bad.forEach((message, change) -> {
            ExperimentSpec.Builder spec = Specs.tiny("folders", 20, 10);
            folders.accept(spec);
            change.accept(spec);
            assertThatThrownBy(() -> images.validate("e", spec.build(), Timestamp.getDefaultInstance()))
                    .as(message).isInstanceOf(InvalidSpecException.class).hasMessageContaining(message);
        });
    }

    @Test
    void resNetTrunksTakeImagesOfAtLeast32PixelsAndOnlyReadableWeightFiles() throws Exception {
        Path weights = Files.createTempFile(files, "weights", ".safetensors");
        try {
            assertInvalid(s -> s.getSettingsBuilder().setTrunk("resnet18"), "settings.trunk", "at least 32");
            assertInvalid(s -> s.getSettingsBuilder().setPretrainedTrunk(true), "settings.pretrained_trunk",
                    "needs settings.pretrained_weights");
            assertInvalid(s -> s.getSettingsBuilder().setPretrainedWeights(weights + ".absent"),
                    "settings.pretrained_weights", "is not a readable file");
            assertInvalid(s -> s.getSettingsBuilder().setPretrainedWeights(weights.toString()),
                    "settings.pretrained_weights", "takes no weight file");
            Path dir = TinyDataset.write(Files.createTempDirectory("tiny32"), 10, 4, 32, 3);
            ExperimentValidator big = validator(Map.of("tiny32", dir));
            ExperimentSpec.Builder spec = Specs.tiny("tiny32", 20, 10);
            spec.getSettingsBuilder().setTrunk("resnet18").setPretrainedWeights(weights.toString());
            assertThat(big.validate("r", spec.build(), Timestamp.getDefaultInstance())).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.getSettings().getPretrainedWeights()).isEqualTo(weights.toString()));
        } finally {
            Files.delete(weights);
        }
    }

    @Test
    void weightFilesAndFeatureExtractorsMustLieUnderTheDataRootsAsDatasetPathsMust() throws Exception {
        Path outside = Files.createTempFile("outside-roots", ".safetensors");
        try {
            assertInvalid(s -> s.getSettingsBuilder().setTrunk("resnet18").setPretrainedWeights(outside.toString()),
                    "settings.pretrained_weights", "'" + outside + "' is outside the data roots [/usr/share/datasets, "
                            + "/data, " + files + "] (realitycheck.trainer.data-roots)");
            assertInvalid(s -> s.getSettingsBuilder().setPretrainedWeights(files + "/../" + outside.getFileName()),
                    "settings.pretrained_weights", "is outside the data roots");
            assertInvalid(s -> s.getSettingsBuilder().setPretrainedWeights("weights.safetensors"),
                    "settings.pretrained_weights", "'weights.safetensors' must be an absolute path under the data roots");
            assertInvalid(s -> s.getSettingsBuilder().setTrunk("saved_model").setTrunkPath(outside.getParent().toString())
                    .clearAugmentation(), "settings.trunk_path", "is outside the data roots");
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void optimizerSettingsReachEachParameterGroupAndBadOnesAreNamedByTheirField() throws Exception {
        ExperimentSpec.Builder spec = Specs.tiny("tiny", 20, 10);
        spec.getSettingsBuilder().setOptimizer(OptimizerSpec.newBuilder().setName("RMSprop").setTrunkLearningRate(1e-6)
                .setEmbedderLearningRate(2e-6).setLossLearningRate(1e-4).setWeightDecay(1e-4).putParameters("momentum", 0.9)
                .setWarmupIterations(5).setMaxGradientNorm(1));
        spec.getLossesBuilder(0).setName("proxy_anchor");
        RunSpec run = validator.validate("e", spec.build(), Timestamp.getDefaultInstance()).getFirst();
        TrainingConfig config = RunRecipe.of(run, new RunDatasets(Map.of("tiny", dir)).fold(run), "losses[0]",
                files.resolve("unused"), SessionThreads.DEFAULT).config();
        assertThat(config.trunkOptimizer()).isEqualTo(new RmsProp(1e-6f, 0.99f, 1e-8f, 1e-4f, 0.9f));
        assertThat(config.embedderOptimizer()).isEqualTo(new RmsProp(2e-6f, 0.99f, 1e-8f, 1e-4f, 0.9f));
        assertThat(config.lossOptimizer()).isEqualTo(new RmsProp(1e-4f, 0.99f, 1e-8f, 1e-4f, 0.9f));
        assertThat(config.updates()).isEqualTo(new UpdateSettings(5, 1f));

        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setName("rmsprop").putParameters("nesterov", 1),
                "settings.optimizer.parameters[\"nesterov\"]", "is not a setting of rmsprop: known are [alpha, epsilon, momentum]");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setName("adam").putParameters("momentum", 0.9),
                "settings.optimizer.parameters[\"momentum\"]", "is not a setting of adam");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setName("rmsprop").putParameters("momentum", 1),
                "settings.optimizer.parameters[\"momentum\"]", "momentum must be in [0, 1), was 1.0");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setName("adam").putParameters("beta2", -0.5),
                "settings.optimizer.parameters[\"beta2\"]", "beta2 must be in [0, 1)");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setWeightDecay(-1), "settings.optimizer.weight_decay",
                "non-negative");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setLossLearningRate(-1),
                "settings.optimizer.loss_learning_rate", "non-negative");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setWarmupIterations(-1),
                "settings.optimizer.warmup_iterations", "must be in [0, iterations (20)], got -1");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setWarmupIterations(21),
                "settings.optimizer.warmup_iterations", "got 21");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setMaxGradientNorm(Double.NaN),
                "settings.optimizer.max_gradient_norm", "must be finite and >= 0");
        assertInvalid(s -> s.getSettingsBuilder().getOptimizerBuilder().setMaxGradientNorm(-1),
                "settings.optimizer.max_gradient_norm", "got -1.0");
    }

    private static void assertInvalid(Consumer<ExperimentSpec.Builder> change, String field, String message) {
        ExperimentSpec.Builder spec = Specs.tiny("tiny", 20, 10);
        change.accept(spec);
        assertThatThrownBy(() -> validator.validate("e", spec.build(), Timestamp.getDefaultInstance()))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + " ").contains(message);
                });
    }
}
