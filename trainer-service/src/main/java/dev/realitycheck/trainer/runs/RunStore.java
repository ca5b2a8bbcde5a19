package dev.realitycheck.trainer.runs;

import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.Experiment;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.ValidationPoint;
import dev.realitycheck.trainer.TrainerConfig;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Experiments and runs as this pod knows them, cluster-wide: every state change of a run made here
 * (queued, started, validated, finished, cancelled) is applied here and published as a
 * {@link RunEvent} through the {@link EventSink}; the events of the other pods arrive through
 * {@link #apply(RunEvent)} ({@link RunEventFollower} follows {@code realitycheck.run-events} from
 * the beginning), accepted experiments through {@link #apply(ExperimentRecord)}. So ListRuns,
 * GetExperiment, WatchRun and CancelRun answer the same on every pod. A pod's own events are
 * recognised by its reporter id and not applied twice. Per-iteration progress (loss, images/s) is
 * only known on the pod that trains the run; the others see the iteration of each event.
 * Thread-safe.
 */
public final class RunStore {

    /** Where the events of this pod go (Kafka in the service). */
    public interface EventSink {
        /** Publishes a run event (asynchronously; failures are logged by the sink). */
        void publish(RunEvent event);

        /** Waits until the events published so far are acknowledged. */
        default void flush() {
        }

        /** An event sink that drops everything: a store that only this pod sees. */
        EventSink NONE = e -> { };
    }

    /** Outcome of {@link #cancel}. */
    public enum CancelOutcome { CANCELLED, NOT_FOUND, ALREADY_DONE }

    private record ExperimentEntry(ExperimentSpec spec, Timestamp createdAt) {
    }

    private static final class RunEntry {
        final RunEvent.Builder event;
        final Run.Builder run;
        boolean cancelRequested;
        /** Being trained by this pod: other pods' events (but cancellations) do not override it. */
        boolean trainingHere;
        final List<Consumer<RunProgress>> watchers = new CopyOnWriteArrayList<>();

        RunEntry(RunSpec spec) {
            event = RunEvent.newBuilder().setSpec(spec).setState(RunState.RUN_STATE_QUEUED);
            run = Run.newBuilder().setSpec(spec).setState(RunState.RUN_STATE_QUEUED)
                    .setProgress(RunProgress.newBuilder().setRunId(spec.getRunId()).setState(RunState.RUN_STATE_QUEUED)
                            .setTotalIterations(spec.getSettings().getIterations()));
        }
    }

    private final String reporter;
    private final EventSink sink;
    private final Map<String, ExperimentEntry> experiments = new LinkedHashMap<>();
    private final Map<String, RunEntry> runs = new LinkedHashMap<>();

    /** A store of this pod alone (no events published). */
    public RunStore() {
        this("local", EventSink.NONE);
    }

    /**
     * @param reporter this pod's id, unique per process (see {@link TrainerConfig#podId()})
     * @param sink     where this pod's run events go
     */
    public RunStore(String reporter, EventSink sink) {
        this.reporter = reporter;
        this.sink = sink;
    }

    /** Waits until this pod's events published so far are acknowledged. */
    public void flushEvents() {
        sink.flush();
    }

    /** @return this pod's reporter id */
    public String reporter() {
        return reporter;
    }

    /** Records a new experiment and its runs (unpublished); false if the id is already known. */
    public synchronized boolean addExperiment(String id, ExperimentSpec spec, Timestamp createdAt, List<RunSpec> specs) {
        if (experiments.containsKey(id)) {
            return false;
        }
        experiments.put(id, new ExperimentEntry(spec, createdAt));
        specs.forEach(this::register);
        return true;
    }

    /** Forgets an experiment whose runs could not be queued. */
    public synchronized void removeExperiment(String id) {
        experiments.remove(id);
        runs.values().removeIf(r -> r.run.getSpec().getExperimentId().equals(id)
                && r.run.getState() == RunState.RUN_STATE_QUEUED);
    }

    /** Knows a run (e.g. consumed from the topic), queued unless already known. */
    public synchronized void register(RunSpec spec) {
        runs.computeIfAbsent(spec.getRunId(), k -> new RunEntry(spec));
    }

    /** Runs were put on the runs topic: publishes their QUEUED events. */
    public void queued(List<RunSpec> specs) {
        for (RunSpec spec : specs) {
            RunEvent e;
            synchronized (this) {
                register(spec);
                e = stamp(runs.get(spec.getRunId()));
            }
            sink.publish(e);
        }
    }

    /** The experiment with its run counts by state. */
    public synchronized Optional<Experiment> experiment(String id) {
        ExperimentEntry e = experiments.get(id);
        if (e == null) {
            return Optional.empty();
        }
        Experiment.Builder b = Experiment.newBuilder().setExperimentId(id).setSpec(e.spec()).setCreatedAt(e.createdAt());
        int count = 0;
        for (RunEntry r : runs.values()) {
            if (r.run.getSpec().getExperimentId().equals(id)) {
                count++;
                b.putRunsByState(r.run.getState().name(), b.getRunsByStateOrDefault(r.run.getState().name(), 0) + 1);
            }
        }
        return Optional.of(b.setRunCount(count).build());
    }

    /** Runs of an experiment (every run when empty) in a state (any when unspecified), in the order they became known. */
    public synchronized List<Run> runs(String experimentId, RunState state) {
        return runs.values().stream().map(r -> r.run.build())
                .filter(r -> experimentId.isEmpty() || r.getSpec().getExperimentId().equals(experimentId))
                .filter(r -> state == RunState.RUN_STATE_UNSPECIFIED || r.getState() == state)
                .toList();
    }

    /** @return the run, if known */
    public synchronized Optional<Run> run(String runId) {
        RunEntry r = runs.get(runId);
        return r == null ? Optional.empty() : Optional.of(r.run.build());
    }

    /** @return the latest event of the run (this pod's view), if known */
    public synchronized Optional<RunEvent> event(String runId) {
        RunEntry r = runs.get(runId);
        return r == null ? Optional.empty() : Optional.of(r.event.build());
    }

    /** Marks a run as training on this pod now. */
    public void started(RunSpec spec) {
        RunProgress p;
        RunEvent e;
        synchronized (this) {
            register(spec);
            RunEntry r = runs.get(spec.getRunId());
            r.trainingHere = true;
            r.event.setState(RunState.RUN_STATE_RUNNING).clearError().setStoppedEarly(false);
            r.run.setState(RunState.RUN_STATE_RUNNING).setStartedAt(now()).clearFinishedAt().clearError();
            r.run.getProgressBuilder().setState(RunState.RUN_STATE_RUNNING).setReportedAt(now());
            p = r.run.getProgress();
            e = stamp(r);
        }
        sink.publish(e);
        notify(spec.getRunId(), p);
    }

    /** Records a progress report of a run trained here and passes it to the run's watchers (not published). */
    public void progress(String runId, long iteration, double loss, double imagesPerSecond) {
        RunProgress p;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null || isTerminal(r.run.getState())) {
                return;
            }
            r.event.setIteration(iteration);
            r.run.getProgressBuilder().setIteration(iteration).setLoss(loss)
                    .setImagesPerSecond(imagesPerSecond).setReportedAt(now());
            p = r.run.getProgress();
        }
        notify(runId, p);
    }

    /** Records the run's latest published checkpoint. */
    public synchronized void checkpoint(String runId, String checkpointId) {
        RunEntry r = runs.get(runId);
        if (r != null) {
            r.run.setLatestCheckpointId(checkpointId);
        }
    }

    /**
     * Records the validations of a run trained here (every one so far) and its best, and publishes them.
     *
     * @param best the best validation, or null while none is defined
     */
    public void validated(String runId, long iteration, List<ValidationPoint> validations, ValidationPoint best) {
        RunProgress p;
        RunEvent e;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null) {
                return;
            }
            r.event.setIteration(iteration).clearValidations().addAllValidations(validations);
            if (best != null) {
                r.event.setBest(best);
                r.run.getProgressBuilder().setBestValidationMapAtR(best.getMapAtR());
            }
            r.run.getProgressBuilder().setReportedAt(now());
            p = r.run.getProgress();
            e = stamp(r);
        }
        sink.publish(e);
        notify(runId, p);
    }

    /** Ends a run (SUCCEEDED, FAILED or CANCELLED), publishes it; watchers get the final report and are done. */
    public void finished(String runId, RunState state, String error) {
        finished(runId, state, error, false);
    }

    /** Ends a run; {@code stoppedEarly} when patience stopped it before its iteration budget. */
    public void finished(String runId, RunState state, String error, boolean stoppedEarly) {
        RunEvent e;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null) {
                return;
            }
            r.trainingHere = false;
            boolean keepError = isTerminal(r.event.getState()) && !r.event.getError().isEmpty();
            r.event.setState(state).setStoppedEarly(stoppedEarly);
            if (error != null && !keepError) {
                r.event.setError(error);
            }
            error = r.event.getError().isEmpty() ? null : r.event.getError();
            e = stamp(r);
            end(r, state, error);
        }
        sink.publish(e);
        complete(runId);
    }

    /**
     * Cancels a queued or running run, on whichever pod: it becomes CANCELLED here at once and the
     * CANCELLED event tells every pod; the pod that trains it stops it at its next iteration, and a
     * pod that consumes it later skips it.
     */
    public CancelOutcome cancel(String runId, String reason) {
        RunEvent e;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null) {
                return CancelOutcome.NOT_FOUND;
            }
            if (isTerminal(r.run.getState())) {
                return CancelOutcome.ALREADY_DONE;
            }
            String error = "cancelled" + (reason.isEmpty() ? "" : ": " + reason);
            r.cancelRequested = true;
            r.event.setState(RunState.RUN_STATE_CANCELLED).setError(error);
            e = stamp(r);
            end(r, RunState.RUN_STATE_CANCELLED, error);
        }
        sink.publish(e);
        complete(runId);
        return CancelOutcome.CANCELLED;
    }

    /** True once the run was cancelled (here or on another pod). */
    public synchronized boolean cancelRequested(String runId) {
        RunEntry r = runs.get(runId);
        return r != null && r.cancelRequested;
    }

    /**
     * Applies another pod's event (this pod's own are skipped): the run's state, iteration and
     * validations as that pod reported them. A run trained here takes only cancellations from others.
     */
    public void apply(RunEvent event) {
        if (event.getReporter().equals(reporter) || !event.hasSpec()) {
            return;
        }
        String runId = event.getSpec().getRunId();
        RunProgress p;
        boolean terminal;
        synchronized (this) {
            register(event.getSpec());
            RunEntry r = runs.get(runId);
            boolean cancelled = event.getState() == RunState.RUN_STATE_CANCELLED;
            if (cancelled) {
                r.cancelRequested = true;
            }
            if (r.trainingHere) {
                if (!cancelled || isTerminal(r.run.getState())) {
                    return;
                }
                // cancelled elsewhere: the trainer here stops at its next iteration; what it did so far stays
                r.event.setState(RunState.RUN_STATE_CANCELLED).setError(event.getError());
                end(r, RunState.RUN_STATE_CANCELLED, event.getError().isEmpty() ? null : event.getError());
                terminal = true;
                p = null;
            } else {
                terminal = applyOther(r, event);
                p = r.run.getProgress();
            }
        }
        if (terminal) {
            complete(runId);
        } else {
            notify(runId, p);
        }
    }

    /** Takes over another pod's view of a run not trained here; true when it ended. */
    private boolean applyOther(RunEntry r, RunEvent event) {
        RunState before = r.run.getState();
        r.event.clear().mergeFrom(event);
        if (event.getValidationsCount() > 0) {
            r.run.setLatestCheckpointId(event.getValidations(event.getValidationsCount() - 1).getCheckpointId());
        }
        RunProgress.Builder progress = r.run.getProgressBuilder().setIteration(event.getIteration())
                .setReportedAt(event.hasReportedAt() ? event.getReportedAt() : now());
        if (event.hasBest() && event.getBest().hasMapAtR()) {
            progress.setBestValidationMapAtR(event.getBest().getMapAtR());
        }
        boolean terminal = isTerminal(event.getState());
        if (terminal) {
            end(r, event.getState(), event.getError().isEmpty() ? null : event.getError());
        } else {
            r.run.setState(event.getState()).clearError().clearFinishedAt();
            progress.setState(event.getState());
            if (event.getState() == RunState.RUN_STATE_RUNNING && before != RunState.RUN_STATE_RUNNING) {
                r.run.setStartedAt(progress.getReportedAt());
            }
        }
        return terminal;
    }

    /** Applies an accepted experiment (from {@code realitycheck.experiments}); known ones are kept. */
    public synchronized void apply(ExperimentRecord record) {
        experiments.putIfAbsent(record.getExperimentId(), new ExperimentEntry(record.getSpec(), record.getCreatedAt()));
    }

    /**
     * Subscribes to a run's progress: {@code watcher} gets the current report now, then every new
     * one; the last is the run's final state. Returns the way to unsubscribe, or empty if the run is unknown.
     */
    public Optional<Runnable> watch(String runId, Consumer<RunProgress> watcher) {
        RunProgress current;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null) {
                return Optional.empty();
            }
            current = r.run.getProgress();
            if (!isTerminal(r.run.getState())) {
                r.watchers.add(watcher);
            }
        }
        watcher.accept(current);
        return Optional.of(() -> {
            synchronized (this) {
                RunEntry r = runs.get(runId);
                if (r != null) {
                    r.watchers.remove(watcher);
                }
            }
        });
    }

    /** True for SUCCEEDED, FAILED and CANCELLED. */
    public static boolean isTerminal(RunState state) {
        return state == RunState.RUN_STATE_SUCCEEDED || state == RunState.RUN_STATE_FAILED
                || state == RunState.RUN_STATE_CANCELLED;
    }

    private void end(RunEntry r, RunState state, String error) {
        r.run.setState(state).setFinishedAt(now());
        if (error != null) {
            r.run.setError(error);
        }
        r.run.getProgressBuilder().setState(state).setIteration(r.event.getIteration()).setReportedAt(now());
    }

    private RunEvent stamp(RunEntry r) {
        return r.event.setReporter(reporter).setReportedAt(now()).build();
    }

    private void complete(String runId) {
        RunProgress p;
        List<Consumer<RunProgress>> watchers;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            p = r.run.getProgress();
            watchers = List.copyOf(r.watchers);
            r.watchers.clear();
        }
        watchers.forEach(w -> w.accept(p));
    }

    private void notify(String runId, RunProgress p) {
        List<Consumer<RunProgress>> watchers;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            watchers = r == null ? List.of() : List.copyOf(r.watchers);
        }
        watchers.forEach(w -> w.accept(p));
    }

    private static Timestamp now() {
        Instant t = Instant.now();
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
