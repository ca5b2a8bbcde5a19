package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.catalog.BuiltinDatasets;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.MlpArchitecture;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The paper's reference rows: the raw inputs (L2-normalised pixels) and an untrained network (the
 * MLP 784-256-128 with seeded random weights), scored like any checkpoint and published with
 * {@code baseline = true}. On Fashion-MNIST a network trained on classes 0-4 has scored BELOW raw
 * pixels on classes 5-9: these rows make such a thing visible.
 *
 * <p>Only what an experiment uses is computed: {@link #tasksFor} hands out, once per dataset, fold
 * count and fold that a checkpoint names, one {@link Task} per baseline (that fold's validation
 * classes plus the test classes), and the caller runs it when it has nothing better to do. The test
 * classes do not depend on the fold (nor on the fold count), so each baseline's test result is
 * computed once per dataset and reused for every fold's record. What was handed out is kept in
 * memory, and restored on start from the results topic ({@link #restore}): a task whose two results
 * are there is not handed out again, and a test result found there is reused for the other folds.
 */
public final class Baselines {

    private static final Logger LOG = Logger.getLogger(Baselines.class);

    /** Prefix of every baseline run id ({@code baseline:<name>:<dataset>:k<folds>:f<fold>}). */
    static final String RUN_PREFIX = "baseline:";

    /** The baselines, in the order their tasks are handed out. */
    public static final List<String> NAMES = List.of("raw-pixels", "untrained-mlp");

    /** Seed of the untrained network's weights. */
    static final long UNTRAINED_SEED = 0;

    /**
     * One baseline on one fold of a dataset: its validation result and its test result.
     *
     * @param baseline  one of the baseline names ("raw-pixels", "untrained-mlp")
     * @param dataset   the dataset as the checkpoint named it
     * @param foldCount K, the number of folds
     * @param fold      the fold whose validation classes are scored, in [0, K)
     */
    public record Task(String baseline, DatasetSpec dataset, int foldCount, int fold) {
        public Task {
            if (!NAMES.contains(baseline)) {
                throw new IllegalArgumentException("baseline must be one of " + NAMES + ", got " + baseline);
            }
            java.util.Objects.requireNonNull(dataset, "dataset");
            if (foldCount < 1 || fold < 0 || fold >= foldCount) {
                throw new IllegalArgumentException("need 0 <= fold < foldCount, got fold " + fold + " of " + foldCount);
            }
        }

        /** The run id of this baseline on this fold. */
        public String runId() {
            return RUN_PREFIX + baseline + ":" + datasetName(dataset) + ":k" + foldCount + ":f" + fold;
        }

        @Override
        public String toString() {
            return baseline + " on '" + datasetName(dataset) + "' fold " + fold + " of " + foldCount;
        }
    }

    private final SavedModelScorer.Images images;
    private final HeldOutScorer heldOut;
    private final Path workDir;
    /** Run ids of the tasks handed out. */
    private final Set<String> handedOut = new HashSet<>();
    /** Test result per (baseline, dataset): the test classes scored once. */
    private final Map<String, EvaluationResult> tests = new HashMap<>();

    /**
     * @param images  finds a checkpoint's dataset images
     * @param heldOut scores the baselines like any checkpoint
     * @param workDir where the untrained network is exported for a moment
     */
    public Baselines(SavedModelScorer.Images images, HeldOutScorer heldOut, Path workDir) {
        this.images = images;
        this.heldOut = heldOut;
        this.workDir = workDir;
    }

    /** True for the run id of a baseline. */
    public static boolean isBaselineRun(String runId) {
        return runId.startsWith(RUN_PREFIX);
    }

    /**
     * The baseline work {@code checkpoint}'s dataset and fold still need: one task per baseline not
     * handed out before for that dataset, fold count and fold; empty once handed out.
     */
    public synchronized List<Task> tasksFor(CheckpointManifest checkpoint) {
        int folds = Math.max(1, checkpoint.getFoldCount());
        List<Task> out = new ArrayList<>();
        for (String name : NAMES) {
            Task task = new Task(name, checkpoint.getDataset(), folds, checkpoint.getFold());
            if (handedOut.add(task.runId())) {
                out.add(task);
            }
        }
        return out;
    }

    /**
     * Takes baseline results already published (read back from the results topic on start): a task
     * whose validation and test results are both there is not handed out again, and each test result
     * is reused for the folds still to score.
     */
    public synchronized void restore(List<EvaluationResult> published) {
        Map<String, Set<Split>> splits = new HashMap<>();
        for (EvaluationResult r : published) {
            if (!r.getBaseline() || !isBaselineRun(r.getRunId()) || !r.getError().isEmpty()) {
                continue;
            }
            splits.computeIfAbsent(r.getRunId(), id -> new HashSet<>()).add(r.getSplit());
            if (r.getSplit() == Split.SPLIT_TEST && NAMES.contains(r.getLossName())) {
                tests.putIfAbsent(r.getLossName() + ":" + datasetName(r.getDataset()), r);
            }
        }
        splits.forEach((runId, got) -> {
            if (got.contains(Split.SPLIT_VALIDATION) && got.contains(Split.SPLIT_TEST)) {
                handedOut.add(runId);
            }
        });
        if (!splits.isEmpty()) {
            LOG.infof("baselines read back from the results topic, not computed again: %s", handedOut);
        }
    }

    /** Scores one task: its fold's validation classes, and the test classes unless already scored for its dataset. */
    public List<EvaluationResult> run(Task task) throws Exception {
        CheckpointManifest m = CheckpointManifest.newBuilder().setCheckpointId(task.runId() + "@0").setRunId(task.runId())
                .setLossName(task.baseline()).setFold(task.fold()).setDataset(task.dataset())
                .setFoldCount(task.foldCount()).build();
        LabeledImages data = images.of(m);
        if (task.baseline().equals("raw-pixels")) {
            return score(task, m, data, (pixels, count, perImage) -> new Embeddings(pixels, count, perImage));
        }
        MlpArchitecture mlp = EmbeddingNetworks.mlp(InputSpec.image(data.height(), data.width(), 1, Preprocessing.pixels()),
                128, List.of(256));
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "untrained-mlp-");
        try {
            Path model = dir.resolve("model");
            EmbeddingNetworks.exportUntrained(mlp, UNTRAINED_SEED, model);
            try (SavedModelEmbedder embedder = SavedModelEmbedder.load(model)) {
                return score(task, m, data, (pixels, count, perImage) ->
                        new Embeddings(embedder.embed(pixels, count), count, embedder.embeddingSize()));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The fold's validation result, and the test result computed once per baseline and dataset, under this fold's run. */
    private List<EvaluationResult> score(Task task, CheckpointManifest m, LabeledImages data,
                                         HeldOutScorer.EmbeddingFunction embed) throws Exception {
        EvaluationResult validation = heldOut.score(m, Split.SPLIT_VALIDATION, data, embed);
        String testKey = task.baseline() + ":" + datasetName(task.dataset());
        EvaluationResult test;
        synchronized (this) {
            test = tests.get(testKey);
        }
        if (test == null) {
            test = heldOut.score(m, Split.SPLIT_TEST, data, embed);
            synchronized (this) {
                tests.put(testKey, test);
            }
        } else {
            LOG.infof("test classes of %s on '%s' already scored: reused for fold %d", task.baseline(),
                    datasetName(task.dataset()), task.fold());
        }
        return List.of(validation.toBuilder().setBaseline(true).build(),
                ErrorResults.base(m, Split.SPLIT_TEST).setMetrics(test.getMetrics()).setTimings(test.getTimings())
                        .setBaseline(true).build());
    }

    private static String datasetName(DatasetSpec dataset) {
        return dataset.getName().isEmpty() ? BuiltinDatasets.FASHION_MNIST : dataset.getName();
    }
}
