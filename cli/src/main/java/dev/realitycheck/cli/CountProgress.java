package dev.realitycheck.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Progress of long work over {@code total} items, on stderr: on a terminal a bar redrawn in place
 * ({@code prepare  [#####.....]  50%  512/1024}), otherwise (logs, pipes) a plain {@code n/N} line
 * at most every {@value #PLAIN_EVERY_SECONDS} seconds and at the end. Thread-safe.
 */
final class CountProgress implements IntConsumer {

    static final int PLAIN_EVERY_SECONDS = 5;

    private final String label;
    private final int total;
    private final PrintStream err;
    private final boolean terminal;
    private long lastPlain = System.nanoTime();

    CountProgress(String label, int total) {
        this(label, total, System.err, System.console() != null);
    }

    CountProgress(String label, int total, PrintStream err, boolean terminal) {
        this.label = label;
        this.total = total;
        this.err = err;
        this.terminal = terminal;
    }

    /** Reports {@code done} items finished. */
    @Override
    public synchronized void accept(int done) {
        if (terminal) {
            int filled = total == 0 ? ProgressLine.WIDTH : (int) ((long) done * ProgressLine.WIDTH / total);
            err.printf(Locale.ROOT, "\r%s  [%s%s] %3d%%  %d/%d", label, "#".repeat(filled), ".".repeat(ProgressLine.WIDTH - filled),
                    total == 0 ? 100 : (long) done * 100 / total, done, total);
            if (done >= total) {
                err.println();
            }
        } else if (done >= total || System.nanoTime() - lastPlain >= PLAIN_EVERY_SECONDS * 1_000_000_000L) {
            lastPlain = System.nanoTime();
            err.printf(Locale.ROOT, "%s %d/%d%n", label, done, total);
        }
        err.flush();
    }
}
