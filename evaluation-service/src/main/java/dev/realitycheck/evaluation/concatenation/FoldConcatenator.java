package dev.realitycheck.evaluation.concatenation;

import com.google.protobuf.Timestamp;
import dev.realitycheck.evaluation.results.CheckpointSelector;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.evaluation.scoring.TestEmbeddingCache;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The paper's "concatenated" test evaluation of one {@link ConcatenationGroup}: each fold's
 * checkpoint is chosen by best VALIDATION MAP@R ({@link CheckpointSelector}, which only ever sees
 * validation results); the chosen models' test-class embeddings (from the {@link TestEmbeddingCache})
 * are L2-normalised per model, concatenated side by side and evaluated as one embedding.
 */
public final class FoldConcatenator {

    /** A concatenation that cannot be computed yet (a fold without a choice, or embeddings not cached here). */
    static final class NotReady extends Exception {
        NotReady(String message) {
            super(message);
        }
    }

    private final TestEmbeddingCache cache;
    private final HeldOutScorer scorer;

    FoldConcatenator(TestEmbeddingCache cache, HeldOutScorer scorer) {
        this.cache = cache;
        this.scorer = scorer;
    }

    /**
     * The chosen validation result of each fold (index = fold), from the group's validation results
     * only; empty when some fold of {@code foldCount} has no choice yet.
     */
    static Optional<List<EvaluationResult>> chosenPerFold(List<EvaluationResult> validationResults, int foldCount) {
        List<EvaluationResult> chosen = new ArrayList<>();
        for (int fold = 0; fold < foldCount; fold++) {
            int f = fold;
            Optional<EvaluationResult> best = CheckpointSelector.best(
                    validationResults.stream().filter(r -> r.getFold() == f).toList());
            if (best.isEmpty()) {
                return Optional.empty();
            }
            chosen.add(best.get());
        }
        return Optional.of(chosen);
    }

    /**
     * Evaluates the concatenation of the chosen checkpoints' test embeddings.
     *
     * @param chosen one chosen validation result per fold, in fold order
     * @throws NotReady when a chosen checkpoint's test embeddings are not in the cache
     */
    EvaluationResult concatenate(ConcatenationGroup group, List<EvaluationResult> chosen) throws IOException, NotReady {
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("a concatenation needs at least one fold");
        }
        List<TestEmbeddingCache.Entry> parts = new ArrayList<>();
        for (EvaluationResult c : chosen) {
            parts.add(cache.get(c.getCheckpointId()).orElseThrow(() -> new NotReady(
                    "test embeddings of checkpoint " + c.getCheckpointId() + " are not cached on this replica")));
        }
        int[] labels = parts.get(0).labels();
        for (int i = 1; i < parts.size(); i++) {
            if (!Arrays.equals(labels, parts.get(i).labels())) {
                throw new IOException("checkpoints " + chosen.get(0).getCheckpointId() + " and "
                        + chosen.get(i).getCheckpointId() + " were evaluated on different test images");
            }
        }
        Embeddings joined = concatenateNormalised(parts.stream().map(TestEmbeddingCache.Entry::embeddings).toList());
        List<String> ids = chosen.stream().map(EvaluationResult::getCheckpointId).toList();
        EvaluationResult first = chosen.get(0);
        Instant now = Instant.now();
        EvaluationResult.Builder identity = EvaluationResult.newBuilder()
                .setEvaluationId(group.evaluationId())
                .setCheckpointId(String.join("+", ids))
                .setRunId(group.runId())
                .setExperimentId(group.experimentId())
                .setLossName(group.lossName())
                .setSeed(group.seed())
                .setSplit(Split.SPLIT_TEST)
                .setDataset(first.getDataset())
                .setFoldCount(first.getFoldCount())
                .setConcatenated(true)
                .addAllSourceCheckpointIds(ids)
                .setIteration(chosen.stream().mapToLong(EvaluationResult::getIteration).max().orElse(0));
        if (first.hasLoss()) {
            identity.setLoss(first.getLoss());
        }
        group.trial().ifPresent(identity::setTrial);
        return scorer.scoreEmbeddings(identity, joined, labels)
                .setEvaluatedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
    }

    /** Row i of the result = row i of every part, each L2-normalised on its own, side by side. */
    public static Embeddings concatenateNormalised(List<Embeddings> parts) {
        int rows = parts.get(0).rows();
        int dim = 0;
        for (Embeddings p : parts) {
            if (p.rows() != rows) {
                throw new IllegalArgumentException("every part needs " + rows + " rows, got " + p.rows());
            }
            dim += p.dim();
        }
        float[] out = new float[Math.multiplyExact(rows, dim)];
        for (int r = 0; r < rows; r++) {
            int offset = r * dim;
            for (Embeddings p : parts) {
                double norm = 0;
                int base = r * p.dim();
                for (int c = 0; c < p.dim(); c++) {
                    double v = p.values()[base + c];
                    norm += v * v;
                }
                double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
                for (int c = 0; c < p.dim(); c++) {
                    out[offset + c] = (float) (p.values()[base + c] * scale);
                }
                offset += p.dim();
            }
        }
        return new Embeddings(out, rows, dim);
    }
}
