package dev.realitycheck.trainer.training;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.Loss;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.loss.miner.Miner;
import dev.realitycheck.loss.miner.MinerCatalog;
import dev.realitycheck.model.Architecture;
import dev.realitycheck.model.BnInceptionArchitecture;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.Initialization;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.InvalidModelException;
import dev.realitycheck.model.ModelSpec;
import dev.realitycheck.model.PretrainedTrunk;
import dev.realitycheck.model.PretrainedWeights;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.ResNetArchitecture;
import dev.realitycheck.model.ResNetVariant;
import dev.realitycheck.model.SavedModelFeatures;
import dev.realitycheck.proto.v1.AugmentationSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.OptimizerSpec;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.TrainingSettings;
import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.data.split.FoldImages;
import dev.realitycheck.data.split.ImageFold;
import dev.realitycheck.train.Adam;
import dev.realitycheck.train.Augmentation;
import dev.realitycheck.train.Optimizer;
import dev.realitycheck.train.RmsProp;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.train.Sgd;
import dev.realitycheck.train.UpdateSettings;
import dev.realitycheck.train.TrainingConfig;
import dev.realitycheck.train.TrainingData;
import dev.realitycheck.trainer.runs.InvalidSpecException;
import dev.realitycheck.trainer.runs.RunPlanner;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How one {@link RunSpec} trains: the fold's images ({@link FoldImages}: its training classes,
 * labels renumbered 0..n-1, and its validation classes; never the test classes) and the
 * {@link TrainingConfig} built from the spec's settings. The same code checks a spec
 * ({@code ExperimentValidator}) and trains it ({@link RunTrainer}), so whatever is accepted can run.
 *
 * <p>Settings as the trainer reads them (defaults for zero values):
 * <ul>
 *   <li>{@code trunk}: {@code "mlp"} (default; one hidden ReLU layer of {@code extra["mlp_hidden"]}
 *       units, default 256, 0 for none), {@code "small-cnn"}/{@code "cnn"},
 *       {@code "bn_inception"}/{@code "bn-inception"} ({@link BnInceptionArchitecture} on the grey
 *       images, whose side must suit it, e.g. 32, 64, 224; {@code extra["freeze_trunk"]} 1 trains
 *       only the embedder), a ResNet ({@code "resnet18"}, {@code "resnet50"},
 *       {@code "resnet50-keras"}; images at least 32x32, fed as RGB, grey images repeated per
 *       channel; {@code extra["train_trunk"]} 0 keeps the trunk fixed so that only the embedder
 *       trains, default 1) or {@code "saved_model"} (any SavedModel named by {@code trunk_path}
 *       with an image -> features signature of the images' size, a frozen feature extractor:
 *       {@link SavedModelFeatures}; no augmentation on IDX data; on an image dataset the
 *       extractor's H x W is the crop size and it sees the pipeline's training crops); {@code pretrained_weights} names the weight
 *       file of a trunk that takes one ({@link PretrainedTrunk}, read by {@link PretrainedWeights};
 *       required by {@code pretrained_trunk}); {@code pretrained_weights} and {@code trunk_path}
 *       must lie under the trainer's data roots (checked by the experiment validator);</li>
 *   <li>{@code initialization}: {@code glorot} (default) or {@code pytorch} ({@link Initialization});</li>
 *   <li>{@code embedding_size}: default 128;</li>
 *   <li>{@code optimizer}: {@code adam} (default; parameters {@code beta1}, {@code beta2},
 *       {@code epsilon}), {@code rmsprop} ({@code alpha}, {@code epsilon}, {@code momentum}),
 *       {@code sgd} ({@code momentum}), other parameter keys refused; one optimizer of the kind
 *       per group: {@code trunk_learning_rate} default 1e-3 for the trunk's variables;
 *       {@code embedder_learning_rate} (default: the trunk's) for the embedder's
 *       ({@code embedder_*}, the last linear layer); {@code loss_learning_rate} (default: the
 *       embedder's) for the loss's own parameters; {@code weight_decay} for all three;
 *       {@code warmup_iterations} and {@code max_gradient_norm} ({@link UpdateSettings});</li>
 *   <li>{@code batch_size} default 32, {@code m_per_class} default 4; {@code iterations} required;
 *       {@code checkpoint_interval} default: only at the end;</li>
 *   <li>{@code validation_interval}: validate every this many iterations and at the last one
 *       (0: at every checkpoint); every validation also publishes a checkpoint;
 *       {@code patience}: stop after this many validations in a row without a new best (0: never);</li>
 *   <li>augmentation (IDX datasets): {@code random_crop} pads by 4 pixels and crops back to the image size
 *       ({@code crop_size} must be 0 or the image side), {@code horizontal_flip};</li>
 *   <li>image datasets ({@link RunFold.Images}): the model takes {@code crop_size x crop_size}
 *       RGB pixels (default {@value #DEFAULT_IMAGE_SIDE}, the paper's crop), and every batch gets the
 *       paper's training transform (resize, RandomResizedCrop, flip) from the image pipeline; the
 *       {@code random_crop} and {@code horizontal_flip} flags are for IDX data only;</li>
 *   <li>loss {@code search} is refused here: a search's trials arrive as ordinary runs with the
 *       sampled values in {@code hyperparameters}.</li>
 * </ul>
 *
 * @param fold         the fold's training and validation images
 * @param config       the training settings
 * @param resolvedLoss the run's loss config with every hyperparameter (loss and miner) resolved,
 *                     defaults filled in: what manifests carry
 * @param validationInterval validate every this many iterations (and at the last)
 * @param patience     validations without a new best that stop the run; 0: never
 * @param featureTrunk the SavedModel directory of trunk {@code saved_model}, whose features the
 *                     embedder trains on; {@code null} for the other trunks
 * @param pretrainedWeights the trunk's weight file, or null to start from random values
 * @param model        what the checkpoints take and give (manifests, validation): the
 *                     architecture's spec, except a {@code saved_model} trunk on an image dataset,
 *                     whose chained checkpoints take the extractor's images
 *                     ({@link SavedModelFeatures#imageInput})
 */
public record RunRecipe(RunFold fold, TrainingConfig config, LossConfig resolvedLoss, int validationInterval,
                        int patience, Path featureTrunk, Path pretrainedWeights, ModelSpec model) {

    /** Checks the parts every run has. */
    public RunRecipe {
        Objects.requireNonNull(fold, "fold");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(resolvedLoss, "resolvedLoss");
        Objects.requireNonNull(model, "model");
    }

    /** Default hidden width of the MLP trunk. */
    public static final int DEFAULT_MLP_HIDDEN = 256;

    /** Default side of an image dataset's model input: the paper's crop. */
    public static final int DEFAULT_IMAGE_SIDE = 227;

    /** The images fold {@code run.fold} of {@code all} may see (see {@link FoldImages}). */
    public static RunFold fold(RunSpec run, LabeledImages all) {
        checkFold(run);
        try {
            return new RunFold.Pixels(FoldImages.of(all, run.getFoldCount(), run.getFold()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("dataset.split.folds", e.getMessage());
        }
    }

    /**
     * The images fold {@code run.fold} of an image dataset may see (see {@link ImageFold}).
     *
     * @param all         every image of the dataset
     * @param labels      their labels
     * @param workers     image pipeline workers
     * @param fingerprint the dataset's content fingerprint
     */
    public static RunFold fold(RunSpec run, ImageSource all, int[] labels, int workers, String fingerprint) {
        checkFold(run);
        try {
            return new RunFold.Images(ImageFold.of(all, labels, run.getFoldCount(), run.getFold()), workers, fingerprint);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("dataset.split.folds", e.getMessage());
        }
    }

    private static void checkFold(RunSpec run) {
        if (run.getFold() < 0 || run.getFold() >= run.getFoldCount()) {
            throw new InvalidSpecException("dataset.split.run_folds", "must be in [0, " + run.getFoldCount()
                    + "), got " + run.getFold());
        }
    }

    /** The training images (the fold's training classes, labels renumbered 0..n-1). */
    public TrainingData images() {
        return fold.training();
    }

    /** The fold's training classes (original labels), sorted. */
    public int[] classes() {
        return fold.trainingClasses();
    }

    /**
     * @param run          the run
     * @param fold         the run's fold images ({@link #fold})
     * @param lossField    path of the run's loss in the experiment spec, for messages (e.g. {@code losses[1]})
     * @param checkpoints  the run's checkpoint directory
     * @param threads      the session's thread pools
     * @throws InvalidSpecException naming the first setting that cannot run
     */
    public static RunRecipe of(RunSpec run, RunFold fold, String lossField, Path checkpoints,
                               SessionThreads threads) {
        TrainingSettings s = run.getSettings();
        int[] classes = fold.trainingClasses();
        int batch = s.getBatchSize() == 0 ? 32 : s.getBatchSize();
        int m = s.getMPerClass() == 0 ? 4 : s.getMPerClass();
        if (m < 1) {
            throw new InvalidSpecException("settings.m_per_class", "must be positive, got " + m);
        }
        if (batch < 1 || batch % m != 0) {
            throw new InvalidSpecException("settings.batch_size", "must be a positive multiple of m_per_class ("
                    + m + "), got " + batch);
        }
        if (batch / m > classes.length) {
            throw new InvalidSpecException("settings.batch_size", batch + " / m_per_class " + m + " needs " + (batch / m)
                    + " classes per batch, but fold " + run.getFold() + " trains on only " + classes.length
                    + " classes " + java.util.Arrays.toString(classes));
        }
        if (s.getIterations() < 1 || s.getIterations() > Integer.MAX_VALUE) {
            throw new InvalidSpecException("settings.iterations", "must be in [1, " + Integer.MAX_VALUE + "], got "
                    + s.getIterations());
        }
        int iterations = (int) s.getIterations();
        if (s.getCheckpointInterval() < 0) {
            throw new InvalidSpecException("settings.checkpoint_interval", "must be >= 0, got " + s.getCheckpointInterval());
        }
        int interval = (int) Math.min(iterations, s.getCheckpointInterval() == 0 ? iterations : s.getCheckpointInterval());
        if (s.getValidationInterval() < 0 || s.getValidationInterval() > iterations) {
            throw new InvalidSpecException("settings.validation_interval", "must be in [0, iterations (" + iterations
                    + ")], got " + s.getValidationInterval());
        }
        int validationInterval = (int) (s.getValidationInterval() == 0 ? interval : s.getValidationInterval());
        if (s.getPatience() < 0) {
            throw new InvalidSpecException("settings.patience", "must be >= 0 (0: no early stopping), got "
                    + s.getPatience());
        }
        if (fold.validationCount() < 2) {
            throw new InvalidSpecException("dataset.split.folds", "fold " + run.getFold() + " validates on only "
                    + fold.validationCount() + " images of classes "
                    + java.util.Arrays.toString(fold.validationClasses()) + ": too few to validate");
        }
        Path weights = null;
        if (!s.getPretrainedWeights().isEmpty()) {
            weights = Path.of(s.getPretrainedWeights());
            if (!java.nio.file.Files.isRegularFile(weights) || !java.nio.file.Files.isReadable(weights)) {
                throw new InvalidSpecException("settings.pretrained_weights", "'" + weights
                        + "' is not a readable file");
            }
        } else if (s.getPretrainedTrunk()) {
            throw new InvalidSpecException("settings.pretrained_trunk", "needs settings.pretrained_weights: no"
                    + " pretrained weights ship here, name the file you have (see docs/training.md)");
        }
        int embedding = s.getEmbeddingSize() == 0 ? 128 : s.getEmbeddingSize();
        if (embedding < 1) {
            throw new InvalidSpecException("settings.embedding_size", "must be positive, got " + embedding);
        }
        InputSpec input;
        Augmentation augmentation;
        if (fold instanceof RunFold.Pixels pixels) {
            LabeledImages training = pixels.images().training();
            input = InputSpec.image(training.height(), training.width(), 1, Preprocessing.pixels());
            augmentation = augmentation(s.getAugmentation(), training);
        } else {
            int side = s.getAugmentation().getCropSize() == 0 ? DEFAULT_IMAGE_SIDE : s.getAugmentation().getCropSize();
            if (side < 4 || side > 1024) {
                throw new InvalidSpecException("settings.augmentation.crop_size", "must be 0 (" + DEFAULT_IMAGE_SIDE
                        + ") or in [4, 1024] for an image dataset, got " + side);
            }
            input = InputSpec.image(side, side, 3, Preprocessing.pixels());
            augmentation = Augmentation.none();
        }
        Architecture architecture = architecture(s, input, embedding);
        if (weights != null && !(architecture instanceof PretrainedTrunk)) {
            throw new InvalidSpecException("settings.pretrained_weights", "trunk '" + s.getTrunk()
                    + "' takes no weight file: only resnet18, resnet50, resnet50-keras and bn_inception do");
        }
        if (featureTrunk(s) != null && !augmentation.isNone()) {
            throw new InvalidSpecException("settings.augmentation", "must be off for trunk saved_model: the embedder"
                    + " trains on the extractor's features, not on images");
        }
        LossConfig lc = run.getLoss();
        if (lc.hasSearch()) {
            throw new InvalidSpecException(lossField + ".search", "(hyperparameter search) is not supported yet");
        }
        Loss loss = loss(lc, lossField, classes.length, embedding);
        Miner miner = miner(lc, lossField);
        OptimizerSpec o = s.getOptimizer();
        double trunkRate = o.getTrunkLearningRate() == 0 ? 1e-3 : o.getTrunkLearningRate();
        double embedderRate = o.getEmbedderLearningRate() == 0 ? trunkRate : o.getEmbedderLearningRate();
        double lossRate = o.getLossLearningRate() == 0 ? embedderRate : o.getLossLearningRate();
        Optimizer trunkOptimizer = optimizer(o, trunkRate, "settings.optimizer.trunk_learning_rate");
        Optimizer embedderOptimizer = optimizer(o, embedderRate, "settings.optimizer.embedder_learning_rate");
        Optimizer lossOptimizer = optimizer(o, lossRate, "settings.optimizer.loss_learning_rate");
        TrainingConfig config = new TrainingConfig(architecture, loss, miner, trunkOptimizer, embedderOptimizer,
                lossOptimizer, batch, m, augmentation, iterations, interval, run.getSeed(), checkpoints, threads,
                s.getFreezeBatchNorm(), initialization(s), updates(o, iterations));
        ModelSpec model = architecture.spec();
        if (featureTrunk(s) != null && fold instanceof RunFold.Images) {
            // the checkpoints chain the extractor: they take its images, as the pipeline crops them
            try (SavedModelFeatures features = SavedModelFeatures.load(featureTrunk(s))) {
                model = new ModelSpec(features.imageInput(), embedding);
            } catch (InvalidModelException e) {
                throw new InvalidSpecException("settings.trunk_path", e.getMessage());
            }
        }
        return new RunRecipe(fold, config, resolved(lc), validationInterval, s.getPatience(), featureTrunk(s),
                weights, model);
    }

    /** The loss config with the catalog's defaults filled in for every hyperparameter not given (loss and miner). */
    static LossConfig resolved(LossConfig lc) {
        LossConfig.Builder b = lc.toBuilder().setLoss(lossName(lc)).setName(RunPlanner.label(lc));
        java.util.Map<String, Double> loss = new java.util.TreeMap<>(LossCatalog.defaults(lossName(lc)));
        loss.putAll(lc.getHyperparametersMap());
        b.clearHyperparameters().putAllHyperparameters(loss);
        if (!lc.getMiner().isEmpty()) {
            java.util.Map<String, Double> miner = new java.util.TreeMap<>(MinerCatalog.defaults(lc.getMiner()));
            miner.putAll(lc.getMinerHyperparametersMap());
            b.clearMinerHyperparameters().putAllMinerHyperparameters(miner);
        }
        return b.build();
    }

    /** True when the run validates after {@code iteration} completed iterations. */
    public boolean validatesAt(long iteration) {
        return iteration > 0 && (iteration % validationInterval == 0 || iteration == config.iterations());
    }

    private static Architecture architecture(TrainingSettings s, InputSpec input, int embedding) {
        String trunk = s.getTrunk().isEmpty() ? "mlp" : s.getTrunk().toLowerCase(Locale.ROOT);
        switch (trunk) {
            case "mlp" -> {
                double hidden = s.getExtraOrDefault("mlp_hidden", DEFAULT_MLP_HIDDEN);
                if (hidden < 0 || hidden != Math.rint(hidden) || hidden > 1 << 16) {
                    throw new InvalidSpecException("settings.extra[\"mlp_hidden\"]", "must be an integer in [0, 65536], got "
                            + hidden);
                }
                return EmbeddingNetworks.mlp(input, embedding, hidden == 0 ? List.of() : List.of((int) hidden));
            }
            case "cnn", "small-cnn" -> {
                if (input.shape().get(0) % 4 != 0 || input.shape().get(1) % 4 != 0) {
                    throw new InvalidSpecException("settings.augmentation.crop_size", "the small CNN pools twice by 2: "
                            + "the image side must be a multiple of 4, got " + input.shape());
                }
                return EmbeddingNetworks.cnn(input, embedding);
            }
            case "bn_inception", "bn-inception" -> {
                double freeze = s.getExtraOrDefault("freeze_trunk", 0);
                if (freeze != 0 && freeze != 1) {
                    throw new InvalidSpecException("settings.extra[\"freeze_trunk\"]", "must be 0 (fine-tune) or 1"
                            + " (train only the embedder), got " + freeze);
                }
                try {
                    return new BnInceptionArchitecture(InputSpec.image(input.shape().get(0), input.shape().get(1),
                            input.channels(),
                            Preprocessing.none()), embedding, freeze == 0);
                } catch (IllegalArgumentException e) {
                    throw new InvalidSpecException("settings.trunk", "bn_inception cannot take the dataset's "
                            + input.shape().get(0) + " x " + input.shape().get(1) + " images: " + e.getMessage());
                }
            }
            case "saved_model", "saved-model" -> {
                try (SavedModelFeatures features = SavedModelFeatures.load(featureTrunk(s))) {
                    List<Integer> image = features.inputShape();
                    if (image.get(0) != input.shape().get(0) || image.get(1) != input.shape().get(1)) {
                        throw new InvalidSpecException("settings.trunk_path", featureTrunk(s) + " takes " + image
                                + " images, the dataset's are " + input.shape().get(0) + " x " + input.shape().get(1));
                    }
                    return features.embedder(embedding);
                } catch (InvalidModelException e) {
                    throw new InvalidSpecException("settings.trunk_path", e.getMessage());
                }
            }
            default -> {
                ResNetVariant resnet = ResNetVariant.byId(trunk);
                if (resnet == null) {
                    throw new InvalidSpecException("settings.trunk", "'" + s.getTrunk() + "' is not a trunk: known are"
                            + " mlp, small-cnn, bn_inception, saved_model, resnet18, resnet50, resnet50-keras");
                }
                double train = s.getExtraOrDefault("train_trunk", 1);
                if (train != 0 && train != 1) {
                    throw new InvalidSpecException("settings.extra[\"train_trunk\"]", "must be 0 or 1, got " + train);
                }
                try {
                    return ResNetArchitecture.of(resnet, input.shape().get(0), input.shape().get(1), embedding)
                            .withTrainTrunk(train == 1);
                } catch (IllegalArgumentException e) {
                    throw new InvalidSpecException("settings.trunk", e.getMessage());
                }
            }
        }
    }

    /** The SavedModel directory of trunk {@code saved_model}, {@code null} for the other trunks. */
    private static Path featureTrunk(TrainingSettings s) {
        String trunk = s.getTrunk().toLowerCase(Locale.ROOT);
        if (!trunk.equals("saved_model") && !trunk.equals("saved-model")) {
            return null;
        }
        if (s.getTrunkPath().isEmpty()) {
            throw new InvalidSpecException("settings.trunk_path", "must name the SavedModel directory of trunk "
                    + "saved_model");
        }
        return Path.of(s.getTrunkPath());
    }

    /** The named setting {@code initialization}, default {@code glorot}. */
    static Initialization initialization(TrainingSettings s) {
        try {
            return Initialization.named(s.getInitialization());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("settings.initialization", e.getMessage());
        }
    }

    private static Augmentation augmentation(AugmentationSpec a, LabeledImages all) {
        if (a.getCropSize() != 0 && (a.getCropSize() != all.height() || a.getCropSize() != all.width())) {
            throw new InvalidSpecException("settings.augmentation.crop_size", "must be 0 or the image side ("
                    + all.height() + "), got " + a.getCropSize());
        }
        if (!a.getRandomCrop() && !a.getHorizontalFlip()) {
            return Augmentation.none();
        }
        return new Augmentation(a.getRandomCrop() ? 4 : 0, a.getHorizontalFlip());
    }

    /** The catalog name of a loss config: {@code loss}, or {@code name} when {@code loss} is empty. */
    static String lossName(LossConfig lc) {
        return lc.getLoss().isEmpty() ? lc.getName() : lc.getLoss();
    }

    private static Loss loss(LossConfig lc, String field, int classes, int embedding) {
        String name = lossName(lc);
        String nameField = field + (lc.getLoss().isEmpty() ? ".name" : ".loss");
        if (!LossCatalog.names().contains(name)) {
            throw new InvalidSpecException(nameField, "'" + name + "' is not a loss: known are " + LossCatalog.names());
        }
        try {
            return LossCatalog.create(name, lc.getHyperparametersMap(), classes, embedding);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(field + ".hyperparameters", e.getMessage());
        }
    }

    private static Miner miner(LossConfig lc, String field) {
        if (lc.getMiner().isEmpty()) {
            if (!lc.getMinerHyperparametersMap().isEmpty()) {
                throw new InvalidSpecException(field + ".miner_hyperparameters", "are set but no miner is");
            }
            return null;
        }
        if (!MinerCatalog.names().contains(lc.getMiner())) {
            throw new InvalidSpecException(field + ".miner", "'" + lc.getMiner() + "' is not a miner: known are "
                    + MinerCatalog.names());
        }
        try {
            return MinerCatalog.create(lc.getMiner(), lc.getMinerHyperparametersMap());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(field + ".miner_hyperparameters", e.getMessage());
        }
    }

    /** The keys {@code settings.optimizer.parameters} may hold, per optimizer. */
    private static final Map<String, java.util.Set<String>> PARAMETERS = Map.of("adam",
            java.util.Set.of("beta1", "beta2", "epsilon"), "rmsprop", java.util.Set.of("alpha", "epsilon", "momentum"),
            "sgd", java.util.Set.of("momentum"));

    private static Optimizer optimizer(OptimizerSpec o, double rate, String rateField) {
        String name = o.getName().isEmpty() ? "adam" : o.getName().toLowerCase(Locale.ROOT);
        Map<String, Double> p = o.getParametersMap();
        if (!PARAMETERS.containsKey(name)) {
            throw new InvalidSpecException("settings.optimizer.name", "'" + o.getName()
                    + "' is not an optimizer: known are adam, rmsprop, sgd");
        }
        for (String key : new java.util.TreeSet<>(p.keySet())) {
            if (!PARAMETERS.get(name).contains(key)) {
                throw new InvalidSpecException("settings.optimizer.parameters[\"" + key + "\"]", "is not a setting of "
                        + name + ": known are " + new java.util.TreeSet<>(PARAMETERS.get(name)));
            }
        }
        float lr = (float) rate;
        float wd = (float) o.getWeightDecay();
        try {
            return switch (name) {
                case "adam" -> new Adam(lr, p.getOrDefault("beta1", 0.9).floatValue(),
                        p.getOrDefault("beta2", 0.999).floatValue(), p.getOrDefault("epsilon", 1e-8).floatValue(), wd);
                case "rmsprop" -> {
                    RmsProp d = RmsProp.of(lr);
                    yield new RmsProp(lr, p.getOrDefault("alpha", (double) d.alpha()).floatValue(),
                            p.getOrDefault("epsilon", (double) d.epsilon()).floatValue(), wd,
                            p.getOrDefault("momentum", 0.0).floatValue());
                }
                default -> new Sgd(lr, p.getOrDefault("momentum", 0.0).floatValue(), wd);
            };
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            String setting = msg.substring(0, Math.max(0, msg.indexOf(' ')));
            String field = setting.equals("learningRate") ? rateField
                    : setting.equals("weightDecay") ? "settings.optimizer.weight_decay"
                    : "settings.optimizer.parameters[\"" + setting + "\"]";
            throw new InvalidSpecException(field, msg);
        }
    }

    /** Warm-up and clipping from {@code settings.optimizer} (see {@link UpdateSettings}). */
    static UpdateSettings updates(OptimizerSpec o, long iterations) {
        if (o.getWarmupIterations() < 0 || o.getWarmupIterations() > iterations) {
            throw new InvalidSpecException("settings.optimizer.warmup_iterations", "must be in [0, iterations ("
                    + iterations + ")], got " + o.getWarmupIterations());
        }
        if (!Double.isFinite(o.getMaxGradientNorm()) || o.getMaxGradientNorm() < 0
                || o.getMaxGradientNorm() > Float.MAX_VALUE) {
            throw new InvalidSpecException("settings.optimizer.max_gradient_norm", "must be finite and >= 0 (0: no"
                    + " clipping), got " + o.getMaxGradientNorm());
        }
        return new UpdateSettings((int) o.getWarmupIterations(), (float) o.getMaxGradientNorm());
    }
}
