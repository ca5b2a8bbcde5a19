package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.ValidationPoint;
import dev.realitycheck.trainer.runs.RunStore;
import dev.realitycheck.trainer.training.RunTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the resume tests compare of a run: the iterations and losses a store reports, each iteration
 * once, in order. Also their shared steps: the uninterrupted reference run, its validations compared
 * without checkpoint ids (a resumed run's ids differ from a reference run's), a pod's work dir deleted.
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

    /** A run trained to its end: what its store reported. */
    record Finished(RunTrajectory trajectory, RunEvent event) {
        /** Checks both are there. */
        Finished {
            java.util.Objects.requireNonNull(trajectory, "trajectory");
            java.util.Objects.requireNonNull(event, "event");
        }
    }

    /** Trains {@code run} uninterrupted on a fresh pod's store, the reference a resumed run is compared with. */
    static Finished uninterrupted(RunSpec run, Function<RunStore, RunTrainer> trainer) throws IOException {
        return trainedToTheEnd("pod-reference", run, store -> store.register(run), trainer);
    }

    /**
     * Trains {@code run} to its end on "pod B", whose store knows only pod A's last run event (as its
     * run-event follower would) and whose trainer has no work dir of A's.
     */
    static Finished resumedOnAnotherPod(RunSpec run, RunStore podA, Function<RunStore, RunTrainer> trainer)
            throws IOException {
        return trainedToTheEnd("pod-b", run, store -> store.apply(podA.event(run.getRunId()).orElseThrow()), trainer);
    }

    private static Finished trainedToTheEnd(String pod, RunSpec run, java.util.function.Consumer<RunStore> setUp,
                                            Function<RunStore, RunTrainer> trainer) throws IOException {
        RunStore store = new RunStore(pod, RunStore.EventSink.NONE);
        setUp.accept(store);
        RunTrajectory trajectory = watch(store, run.getRunId());
        assertThat(trainer.apply(store).train(run, () -> false)).isEqualTo(RunTrainer.Outcome.SUCCEEDED);
        return new Finished(trajectory, store.event(run.getRunId()).orElseThrow());
    }

    /** The resumed run validated at {@code iterations}, with the reference run's results (ids aside). */
    static void assertSameValidations(RunEvent resumed, RunEvent reference, Long... iterations) {
        assertThat(resumed.getValidationsList()).extracting(ValidationPoint::getIteration).containsExactly(iterations);
        assertThat(withoutIds(resumed.getValidationsList())).isEqualTo(withoutIds(reference.getValidationsList()));
    }

    private static List<ValidationPoint> withoutIds(List<ValidationPoint> points) {
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
