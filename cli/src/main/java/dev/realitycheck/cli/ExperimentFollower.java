package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows every run of an experiment from snapshots of its runs (ListRuns), including runs that
 * appear later (search trials, the reproductions of a search's choice): prints a progress line per
 * run when its state changes, a new validation best arrives, or at most every
 * {@code lineIntervalNanos} while it trains. The experiment is done when at least the expected
 * number of runs exist, every one is final, and no new run appeared for {@code settleNanos}
 * (a search queues its next runs after earlier ones end).
 */
final class ExperimentFollower {

    private record Shown(RunState state, long iteration, double best, long atNanos) {
    }

    private final int expectedRuns;
    private final long lineIntervalNanos;
    private final long settleNanos;
    private final PrintWriter out;
    private final Map<String, Shown> shown = new HashMap<>();
    private int known;
    private long lastNewRunNanos;

    /**
     * @param expectedRuns      runs the experiment will have at least ({@link #expectedRuns})
     * @param lineIntervalNanos least time between two lines of a training run
     * @param settleNanos       time without new runs after which all-final means done
     * @param out               where lines go
     */
    ExperimentFollower(int expectedRuns, long lineIntervalNanos, long settleNanos, PrintWriter out) {
        this.expectedRuns = expectedRuns;
        this.lineIntervalNanos = lineIntervalNanos;
        this.settleNanos = settleNanos;
        this.out = out;
    }

    /**
     * The least number of runs an experiment gets: per loss, folds x seeds reproductions, plus
     * trials x folds when it has a search.
     *
     * @param spec    the experiment
     * @param queued  the runs StartExperiment returned (for the resolved fold count)
     */
    static int expectedRuns(ExperimentSpec spec, List<RunSpec> queued) {
        int foldCount = queued.isEmpty() ? Math.max(2, spec.getDataset().getSplit().getFolds())
                : queued.getFirst().getFoldCount();
        int folds = spec.getDataset().getSplit().getRunFoldsCount() > 0 ? spec.getDataset().getSplit().getRunFoldsCount()
                : foldCount;
        int seeds = spec.getSeedsCount() > 0 ? spec.getSeedsCount() : Math.max(1, spec.getReproductions());
        int total = 0;
        for (LossConfig loss : spec.getLossesList()) {
            total += folds * seeds + (loss.hasSearch() ? loss.getSearch().getTrials() * folds : 0);
        }
        return Math.max(total, queued.size());
    }

    /**
     * Takes the next snapshot of the experiment's runs.
     *
     * @return true when the experiment is done
     */
    boolean update(List<Run> runs, long nowNanos) {
        if (runs.size() != known) {
            known = runs.size();
            lastNewRunNanos = nowNanos;
        }
        boolean allFinal = true;
        for (Run run : runs) {
            RunProgress p = run.getProgress().toBuilder().setRunId(run.getSpec().getRunId()).setState(run.getState())
                    .build();
            double best = p.hasBestValidationMapAtR() ? p.getBestValidationMapAtR() : Double.NaN;
            Shown before = shown.get(p.getRunId());
            boolean changed = before == null || before.state() != p.getState()
                    || Double.compare(before.best(), best) != 0;
            boolean due = p.getState() == RunState.RUN_STATE_RUNNING && before != null
                    && before.iteration() != p.getIteration() && nowNanos - before.atNanos() >= lineIntervalNanos;
            if (changed || due) {
                out.println(ProgressLine.of(p));
                shown.put(p.getRunId(), new Shown(p.getState(), p.getIteration(), best, nowNanos));
            }
            allFinal &= isFinal(run.getState());
        }
        out.flush();
        return allFinal && runs.size() >= expectedRuns && nowNanos - lastNewRunNanos >= settleNanos;
    }

    /** True for SUCCEEDED, FAILED and CANCELLED. */
    static boolean isFinal(RunState state) {
        return state == RunState.RUN_STATE_SUCCEEDED || state == RunState.RUN_STATE_FAILED
                || state == RunState.RUN_STATE_CANCELLED;
    }
}
