package dev.realitycheck.localstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a process and everything it started, gracefully first, then by force, with bounded waits. */
public final class ProcessTrees {

    /** How long processes get to die after SIGKILL before giving up. */
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private ProcessTrees() {
    }

    /**
     * Sends SIGTERM to the process and its descendants (collected before, so children re-parented
     * on their parent's exit are not lost), waits up to {@code grace} for all of them, then sends
     * SIGKILL to the survivors and waits for them too.
     *
     * @param root the process
     * @param grace how long the graceful shutdown may take
     * @return the processes still alive at the end (empty unless even SIGKILL failed)
     */
    public static List<ProcessHandle> stop(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : tree) {
            awaitExit(p, deadline);
        }
        // descendants started meanwhile (rare) are caught too
        root.descendants().forEach(tree::add);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        long killDeadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        for (ProcessHandle p : tree) {
            awaitExit(p, killDeadline);
        }
        return tree.stream().filter(ProcessHandle::isAlive).distinct().toList();
    }

    private static void awaitExit(ProcessHandle p, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (!p.isAlive() || left <= 0) {
            return;
        }
        try {
            p.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still alive: the caller escalates
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
