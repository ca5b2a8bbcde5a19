package dev.realitycheck.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.MlpArchitecture;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.retrieval.MeanAveragePrecisionAtR;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.split.ClassSplit;
import dev.realitycheck.train.Adam;
import dev.realitycheck.train.Augmentation;
import dev.realitycheck.train.Checkpoint;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.train.TrainingConfig;
import dev.realitycheck.train.TrainingListener;
import dev.realitycheck.train.TrainingProgress;
import dev.realitycheck.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search with real training (TensorFlow, a tiny MLP): contrastive loss whose configured
 * {@code neg_margin} (0.02) is far too small for L2-normalised embeddings, so negatives are
 * hardly ever pushed apart. The objective is the paper's: mean validation MAP@R over two
 * class-disjoint folds of the train half ({@link ClassSplit}); the test classes are never
 * touched (the objective only ever selects training and validation classes). The search, started
 * from the configured value, finds a margin with a clearly higher objective.
 */
class SearchFindsBetterThanDefaultTest {

    static final int SIDE = 8;
    static final int CLASSES = 24;
    static final int PER_CLASS = 16;
    static final int LATENT = 6;
    static final int FOLDS = 2;
    static final int ITERATIONS = 150;
    static final int TRIALS = 6;

    @TempDir
    Path tmp;

    int runs;

    /** Classes are points in a low-dimensional latent space, rendered into pixels with strong noise. */
    static LabeledImages images(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int pixels = SIDE * SIDE;
        double[][] basis = new double[LATENT][pixels];
        for (double[] b : basis) {
            for (int p = 0; p < pixels; p++) {
                b[p] = random.nextGaussian();
            }
        }
        double[][] centres = new double[CLASSES][LATENT];
        for (double[] c : centres) {
            for (int k = 0; k < LATENT; k++) {
                c[k] = random.nextGaussian();
            }
        }
        int n = CLASSES * PER_CLASS;
        byte[] data = new byte[n * pixels];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            double[] z = new double[LATENT];
            for (int k = 0; k < LATENT; k++) {
                z[k] = centres[labels[i]][k] + 0.35 * random.nextGaussian();
            }
            for (int p = 0; p < pixels; p++) {
                double v = 0;
                for (int k = 0; k < LATENT; k++) {
                    v += z[k] * basis[k][p];
                }
                v = 128 + 12 * v + 40 * random.nextGaussian();
                data[i * pixels + p] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return new LabeledImages(SIDE, SIDE, data, labels);
    }

    static LabeledImages subset(LabeledImages all, int[] classes) {
        int[] idx = ClassSplit.select(all.labels(), classes);
        int size = all.pixelsPerImage();
        byte[] pixels = new byte[idx.length * size];
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(all.pixels(), idx[i] * size, pixels, i * size, size);
            labels[i] = Arrays.binarySearch(classes, all.label(idx[i]));
        }
        return new LabeledImages(all.height(), all.width(), pixels, labels);
    }

    static float[] raw(LabeledImages images) {
        float[] x = new float[images.count() * images.pixelsPerImage()];
        for (int i = 0; i < x.length; i++) {
            x[i] = images.pixels()[i] & 0xFF;
        }
        return x;
    }

    static double mapAtR(float[] embeddings, int dim, int[] labels) {
        RetrievalEvaluator evaluator = new RetrievalEvaluator(new ExactKnn(KnnDistance.COSINE, 1),
                List.of(new MeanAveragePrecisionAtR()));
        return evaluator.evaluate(RetrievalTask.sameSet(new Embeddings(embeddings, labels.length, dim), labels))
                .get("mean_average_precision_at_r");
    }

    double validation(LabeledImages all, String loss, Map<String, Double> hp, int fold, int iterations) throws Exception {
        ClassSplit split = ClassSplit.of(all.labels(), FOLDS);
        int[] train = split.trainingClasses(fold);
        LabeledImages trainImages = subset(all, train);
        LabeledImages validation = subset(all, split.validationClasses(fold));
        MlpArchitecture mlp = new MlpArchitecture(InputSpec.image(SIDE, SIDE, 1, Preprocessing.pixels()), List.of(32), 8);
        Path dir = tmp.resolve("run-" + runs++);
        TrainingConfig config = new TrainingConfig(mlp, LossCatalog.create(loss, hp, train.length, 8), null,
                new Adam(0.003f, 0.9f, 0.999f, 1e-8f, 0f), new Adam(0.003f, 0.9f, 0.999f, 1e-8f, 0f), 24, 4,
                Augmentation.none(), iterations, iterations, 0, dir, new SessionThreads(1, 1));
        List<Checkpoint> checkpoints = new ArrayList<>();
        try (TrainingRun run = TrainingRun.start(config, trainImages)) {
            run.run(new TrainingListener() {
                @Override
                public void onProgress(TrainingProgress progress) {
                }

                @Override
                public void onCheckpoint(Checkpoint checkpoint) {
                    checkpoints.add(checkpoint);
                }
            });
        }
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(checkpoints.getLast().model())) {
            return mapAtR(embedder.embed(raw(validation), validation.count()), 8, validation.labels());
        }
    }

    /** The objective of one configuration: mean validation MAP@R over the folds. */
    double objective(LabeledImages all, Map<String, Double> hp) throws Exception {
        double sum = 0;
        for (int fold = 0; fold < FOLDS; fold++) {
            sum += validation(all, "contrastive", hp, fold, ITERATIONS);
        }
        return sum / FOLDS;
    }

    @Test
    void theSearchFindsANegMarginWithHigherValidationMapAtRThanAFarTooSmallDefault() throws Exception {
        LabeledImages all = images(5);
        Map<String, Double> configured = Map.of("neg_margin", 0.02);
        BayesianOptimizer optimizer = new BayesianOptimizer(List.of(Dimension.log("neg_margin", 0.01, 2.0)), 11,
                BayesianOptimizer.Settings.defaults(TRIALS), configured);
        List<Observation> observed = new ArrayList<>();
        for (int t = 0; t < TRIALS; t++) {
            Map<String, Double> hp = optimizer.propose(t, observed, List.of());
            observed.add(new Observation(hp, objective(all, hp)));
        }
        assertThat(observed.getFirst().parameters()).as("trial 0 is the configured value").isEqualTo(configured);
        double configuredObjective = observed.getFirst().value();
        Observation best = observed.stream().max(java.util.Comparator.comparingDouble(Observation::value)).orElseThrow();
        System.out.printf("search: configured neg_margin 0.02 -> validation MAP@R %.4f; best %s -> %.4f; trials %s%n",
                configuredObjective, best.parameters(), best.value(), observed);
        assertThat(best.value()).as("trials %s", observed).isGreaterThan(configuredObjective + 0.05);
        assertThat(best.parameters().get("neg_margin")).isGreaterThan(0.1);
    }
}
