package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.RunProgress;
import java.util.Locale;

/**
 * One line of a run's progress: {@code run  [#####.....]  50%  it 10/20  loss 0.1234  1200 img/s  RUNNING},
 * then {@code best val MAP@R 0.4321} once the run has validated. (A console progress-bar library
 * was considered: the maintained one, me.tongfei:progressbar, needs JLine, over 1 MB, for what this
 * one line does; and several runs train at once on different pods, which suits one line per report.)
 */
final class ProgressLine {

    /** Width of the bar in characters. */
    static final int WIDTH = 30;

    private ProgressLine() {
    }

    static String of(RunProgress p) {
        long total = Math.max(1, p.getTotalIterations());
        double done = Math.min(1.0, (double) p.getIteration() / total);
        int filled = (int) Math.round(done * WIDTH);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String state = p.getState().name().replace("RUN_STATE_", "");
        String line = String.format(Locale.ROOT, "%s  [%s] %3d%%  it %d/%d  loss %s  %.0f img/s  %s", p.getRunId(), bar,
                Math.round(done * 100), p.getIteration(), p.getTotalIterations(),
                p.hasLoss() ? String.format(Locale.ROOT, "%.4f", p.getLoss()) : "-", p.getImagesPerSecond(), state);
        return p.hasBestValidationMapAtR()
                ? line + String.format(Locale.ROOT, "  best val MAP@R %.4f", p.getBestValidationMapAtR()) : line;
    }
}
