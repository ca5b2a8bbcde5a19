package dev.realitycheck.formats;

import dev.realitycheck.proto.v1.ExperimentRun;
import dev.realitycheck.proto.v1.ExperimentState;
import dev.realitycheck.proto.v1.ExperimentSummary;
import dev.realitycheck.proto.v1.RunState;
import java.util.Locale;

/**
 * How an {@link ExperimentSummary} reads in a list, whatever the medium: shared by the evaluation
 * service's home page and {@code realitycheck experiments}, so both say the same.
 */
public final class ExperimentCells {

    private ExperimentCells() {
    }

    /** "queued", "training", "evaluating", "done". */
    public static String state(ExperimentState state) {
        return switch (state) {
            case EXPERIMENT_STATE_QUEUED -> "queued";
            case EXPERIMENT_STATE_TRAINING -> "training";
            case EXPERIMENT_STATE_EVALUATING -> "evaluating";
            case EXPERIMENT_STATE_DONE -> "done";
            default -> "unknown";
        };
    }

    /** "3/4 trained, 1/4 evaluated". */
    public static String runs(ExperimentSummary s) {
        return s.getRunsTrained() + "/" + s.getRunsTotal() + " trained, " + s.getRunsEvaluated() + "/" + s.getRunsTotal()
                + " evaluated";
    }

    /** "71.62 (ms)", or "–" before the first evaluated run: the best row's test MAP@R in percent. */
    public static String best(ExperimentSummary s) {
        return s.hasBestMapAtR() ? String.format(Locale.ROOT, "%.2f (%s)", 100 * s.getBestMapAtR(), s.getBestLoss()) : "–";
    }

    /** "queued", "running", "succeeded", "failed", "cancelled". */
    public static String state(RunState state) {
        return switch (state) {
            case RUN_STATE_QUEUED -> "queued";
            case RUN_STATE_RUNNING -> "running";
            case RUN_STATE_SUCCEEDED -> "succeeded";
            case RUN_STATE_FAILED -> "failed";
            case RUN_STATE_CANCELLED -> "cancelled";
            default -> "unknown";
        };
    }

    /** Percent of the iteration budget trained, 0..100 (0 when the budget is unknown). */
    public static int percent(ExperimentRun run) {
        return run.getIterations() <= 0 ? 0 : (int) Math.min(100, 100 * run.getIteration() / run.getIterations());
    }

    /** "contrastive, seed 0" (plus ", fold f" and ", trial t" where they tell runs apart). */
    public static String runLabel(String loss, long seed, int fold, boolean severalFolds, Integer trial) {
        StringBuilder b = new StringBuilder(loss);
        if (trial != null) {
            b.append(", trial ").append(trial);
        }
        if (severalFolds) {
            b.append(", fold ").append(fold);
        }
        return b.append(", seed ").append(seed).toString();
    }
}
