package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.proto.v1.ValidationPoint;
import dev.realitycheck.trainer.runs.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the resume tests compare of a run: the iterations and losses a store reports, each iteration
 * once, in order. Also their shared steps: validations without checkpoint ids (a resumed run's ids
 * differ from a reference run's) and a pod's work dir deleted.
 *
 * @param iterations the iterations reported with a loss, from the first the store saw
 * @param losses     their losses
 */
record RunTrajectory(List<Long> iterations, List<Float> losses) {

    /** Checks both are there; copies nothing, since both lists grow while the run trains. */
    RunTrajectory {
        java.util.Objects.requireNonNull(iterations, "iterations");
        java.util.Objects.requireNonNull(losses, "losses");
    }

    /** Starts recording the run's progress in {@code store}. */
    static RunTrajectory watch(RunStore store, String runId) {
        RunTrajectory t = new RunTrajectory(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        store.watch(runId, p -> {
            if (p.getIteration() > 0 && p.hasLoss() && !t.iterations.contains(p.getIteration())) {
                t.iterations.add(p.getIteration());
                t.losses.add((float) p.getLoss());
            }
        });
        return t;
    }

    static List<ValidationPoint> withoutIds(List<ValidationPoint> points) {
        return points.stream().map(p -> p.toBuilder().clearCheckpointId().build()).toList();
    }

    /** Deletes a pod's work dir, as a lost pod loses it. */
    static void deleteRecursively(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertThat(dir).doesNotExist();
    }
}
