package dev.realitycheck.trainer.runs;

import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Expands an experiment into its runs: losses x folds x seeds, in that nesting order. Run ids are
 * deterministic, {@code <experiment id>.<loss name>.fold<f>.seed<s>}, so a repeated request or a
 * redelivered record names the same run. A loss with a {@code search} gets no runs here: the
 * search coordinator ({@code dev.realitycheck.trainer.search}) publishes its trials
 * ({@link #trialRunId}) and then the reproductions of the best configuration (ids as above).
 */
public final class RunPlanner {

    private RunPlanner() {
    }

    /** The experiment id for a request id (the same id for a retried request), or a fresh one. */
    public static String experimentId(String requestId) {
        UUID uuid = requestId == null || requestId.isEmpty() ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(requestId.getBytes(StandardCharsets.UTF_8));
        return "exp-" + uuid.toString().replace("-", "").substring(0, 16);
    }

    /** The label of a loss inside its experiment: its {@code name}, or its {@code loss} when unnamed. */
    public static String label(LossConfig loss) {
        return loss.getName().isEmpty() ? loss.getLoss() : loss.getName();
    }

    /** K: the spec's folds, or 4 when the train half has at least 8 classes, else 2 (the proto's default). */
    public static int foldCount(ExperimentSpec spec, int trainClasses) {
        int folds = spec.getDataset().getSplit().getFolds();
        return folds != 0 ? folds : trainClasses >= 8 ? 4 : 2;
    }

    /** The folds to run: {@code run_folds}, or all of them. */
    public static int[] folds(ExperimentSpec spec, int foldCount) {
        List<Integer> chosen = spec.getDataset().getSplit().getRunFoldsList();
        return chosen.isEmpty() ? IntStream.range(0, foldCount).toArray()
                : chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The seeds: {@code seeds}, else 0..reproductions-1, else just 0. */
    public static long[] seeds(ExperimentSpec spec) {
        if (!spec.getSeedsList().isEmpty()) {
            return spec.getSeedsList().stream().mapToLong(Long::longValue).toArray();
        }
        return LongStream.range(0, Math.max(1, spec.getReproductions())).toArray();
    }

    /** The run id of one (loss, fold, seed) of an experiment. */
    public static String runId(String experimentId, String lossLabel, int fold, long seed) {
        String safe = lossLabel.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_+-]", "_");
        return experimentId + "." + safe + ".fold" + fold + ".seed" + seed;
    }

    /** The run id of one fold of a hyperparameter-search trial: {@code <experiment id>.<loss>.trial<t>.fold<f>}. */
    public static String trialRunId(String experimentId, String lossLabel, int trial, int fold) {
        String safe = lossLabel.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_+-]", "_");
        return experimentId + "." + safe + ".trial" + trial + ".fold" + fold;
    }

    /**
     * @param experimentId the experiment's id
     * @param spec         a validated spec
     * @param foldCount    K, resolved ({@link #foldCount})
     * @param createdAt    stamped on every run
     * @return the runs, losses outermost, then folds, then seeds; none for searched losses
     */
    public static List<RunSpec> expand(String experimentId, ExperimentSpec spec, int foldCount, Timestamp createdAt) {
        List<RunSpec> runs = new ArrayList<>();
        for (LossConfig loss : spec.getLossesList()) {
            if (loss.hasSearch()) {
                continue; // trials and reproductions come from the search coordinator
            }
            for (int fold : folds(spec, foldCount)) {
                for (long seed : seeds(spec)) {
                    runs.add(RunSpec.newBuilder()
                            .setRunId(runId(experimentId, label(loss), fold, seed))
                            .setExperimentId(experimentId)
                            .setDataset(spec.getDataset())
                            .setSettings(spec.getSettings())
                            .setLoss(loss)
                            .setFold(fold)
                            .setFoldCount(foldCount)
                            .setSeed(seed)
                            .setCreatedAt(createdAt)
                            .build());
                }
            }
        }
        return runs;
    }
}
