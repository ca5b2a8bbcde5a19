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
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The paper's reference rows, once per dataset and fold count: the raw inputs (L2-normalised
 * pixels) and an untrained network (the MLP 784-256-128 with seeded random weights), each scored on
 * every fold's validation classes and on the test classes, published like any result with
 * {@code baseline = true}. On Fashion-MNIST a network trained on classes 0-4 has scored BELOW raw
 * pixels on classes 5-9: these rows make such a thing visible.
 */
public final class Baselines {

    /** Seed of the untrained network's weights. */
    static final long UNTRAINED_SEED = 0;

    private final SavedModelScorer.Images images;
    private final HeldOutScorer heldOut;
    private final Path workDir;
    private final Set<String> done = new HashSet<>();

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

    /** The baseline results for {@code checkpoint}'s dataset and fold count, or nothing if already produced. */
    public synchronized List<EvaluationResult> forDatasetOf(CheckpointManifest checkpoint) throws Exception {
        String dataset = checkpoint.getDataset().getName().isEmpty() ? BuiltinDatasets.FASHION_MNIST
                : checkpoint.getDataset().getName();
        int folds = Math.max(1, checkpoint.getFoldCount());
        String key = dataset + ":k" + folds;
        if (done.contains(key)) {
            return List.of();
        }
        LabeledImages data = images.of(checkpoint);
        List<EvaluationResult> out = new ArrayList<>();
        out.addAll(score("raw-pixels", dataset, folds, checkpoint, data,
                (pixels, count, perImage) -> new Embeddings(pixels, count, perImage)));
        MlpArchitecture mlp = EmbeddingNetworks.mlp(InputSpec.image(data.height(), data.width(), 1, Preprocessing.pixels()),
                128, List.of(256));
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "untrained-mlp-");
        try {
            Path model = dir.resolve("model");
            EmbeddingNetworks.exportUntrained(mlp, UNTRAINED_SEED, model);
            try (SavedModelEmbedder embedder = SavedModelEmbedder.load(model)) {
                out.addAll(score("untrained-mlp", dataset, folds, checkpoint, data, (pixels, count, perImage) ->
                        new Embeddings(embedder.embed(pixels, count), count, embedder.embeddingSize())));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        done.add(key);
        return out;
    }

    /** Validation of every fold, and the test classes scored once and reported under each fold's run. */
    private List<EvaluationResult> score(String name, String dataset, int folds, CheckpointManifest like,
                                         LabeledImages data, HeldOutScorer.EmbeddingFunction embed) throws Exception {
        List<EvaluationResult> out = new ArrayList<>();
        EvaluationResult test = null;
        for (int fold = 0; fold < folds; fold++) {
            String run = "baseline:" + name + ":" + dataset + ":k" + folds + ":f" + fold;
            CheckpointManifest m = CheckpointManifest.newBuilder()
                    .setCheckpointId(run + "@0").setRunId(run).setLossName(name).setFold(fold)
                    .setDataset(like.getDataset()).setFoldCount(folds).build();
            if (test == null) {
                test = heldOut.score(m, Split.SPLIT_TEST, data, embed);
            }
            out.add(heldOut.score(m, Split.SPLIT_VALIDATION, data, embed).toBuilder().setBaseline(true).build());
            out.add(ErrorResults.base(m, Split.SPLIT_TEST).setMetrics(test.getMetrics()).setTimings(test.getTimings())
                    .setBaseline(true).build());
        }
        return out;
    }
}
