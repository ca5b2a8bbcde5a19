package dev.realitycheck.trainer;

import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.Experiment;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Experiments and runs in memory: what {@code StartExperiment} accepted, what the trainer loop
 * consumed from {@code realitycheck.runs} (so runs started elsewhere appear once this pod takes
 * them) and the progress of the runs this pod trains. Watchers get every progress report of a run,
 * in-process: with several pods, a run's progress is only seen on the pod training it (a progress
 * topic would carry it across pods; not done). Lost on restart. Thread-safe.
 */
public final class RunStore {

    /** Outcome of {@link #cancel}. */
    public enum CancelOutcome { CANCELLED, STOPPING, NOT_FOUND, ALREADY_DONE }

    private record ExperimentEntry(ExperimentSpec spec, Timestamp createdAt, List<String> runIds) {
    }

    private static final class RunEntry {
        Run.Builder run;
        boolean cancelRequested;
        final List<Consumer<RunProgress>> watchers = new CopyOnWriteArrayList<>();

        RunEntry(RunSpec spec) {
            run = Run.newBuilder().setSpec(spec).setState(RunState.RUN_STATE_QUEUED)
                    .setProgress(RunProgress.newBuilder().setRunId(spec.getRunId()).setState(RunState.RUN_STATE_QUEUED)
                            .setTotalIterations(spec.getSettings().getIterations()));
        }
    }

    private final Map<String, ExperimentEntry> experiments = new LinkedHashMap<>();
    private final Map<String, RunEntry> runs = new LinkedHashMap<>();

    /** Records a new experiment and its queued runs; false if the id is already known. */
    public synchronized boolean addExperiment(String id, ExperimentSpec spec, Timestamp createdAt, List<RunSpec> specs) {
        if (experiments.containsKey(id)) {
            return false;
        }
        experiments.put(id, new ExperimentEntry(spec, createdAt, new ArrayList<>(specs.stream().map(RunSpec::getRunId).toList())));
        specs.forEach(this::register);
        return true;
    }

    /** Forgets an experiment whose runs could not be queued. */
    public synchronized void removeExperiment(String id) {
        ExperimentEntry e = experiments.remove(id);
        if (e != null) {
            e.runIds().forEach(runs::remove);
        }
    }

    /** Knows a run (e.g. consumed from the topic), queued unless already known. */
    public synchronized void register(RunSpec spec) {
        runs.computeIfAbsent(spec.getRunId(), k -> new RunEntry(spec));
        ExperimentEntry e = experiments.get(spec.getExperimentId());
        if (e != null && !e.runIds().contains(spec.getRunId())) {
            e.runIds().add(spec.getRunId());
        }
    }

    /** The experiment with its run counts by state. */
    public synchronized Optional<Experiment> experiment(String id) {
        ExperimentEntry e = experiments.get(id);
        if (e == null) {
            return Optional.empty();
        }
        Experiment.Builder b = Experiment.newBuilder().setExperimentId(id).setSpec(e.spec()).setCreatedAt(e.createdAt())
                .setRunCount(e.runIds().size());
        for (String runId : e.runIds()) {
            RunEntry r = runs.get(runId);
            if (r != null) {
                b.putRunsByState(r.run.getState().name(), b.getRunsByStateOrDefault(r.run.getState().name(), 0) + 1);
            }
        }
        return Optional.of(b.build());
    }

    /** Runs of an experiment (every run when empty) in a state (any when unspecified), in creation order. */
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

    /** Marks a run as training now. */
    public void started(RunSpec spec) {
        RunProgress p;
        synchronized (this) {
            register(spec);
            RunEntry r = runs.get(spec.getRunId());
            r.run.setState(RunState.RUN_STATE_RUNNING).setStartedAt(now()).clearFinishedAt().clearError();
            r.run.getProgressBuilder().setState(RunState.RUN_STATE_RUNNING).setReportedAt(now());
            p = r.run.getProgress();
        }
        notify(spec.getRunId(), p);
    }

    /** Records a progress report (state RUNNING) and passes it to the run's watchers. */
    public void progress(String runId, long iteration, double loss, double imagesPerSecond) {
        RunProgress p;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null) {
                return;
            }
            r.run.getProgressBuilder().setState(RunState.RUN_STATE_RUNNING).setIteration(iteration).setLoss(loss)
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

    /** Ends a run (SUCCEEDED, FAILED or CANCELLED); watchers get the final report and are done. */
    public void finished(String runId, RunState state, String error) {
        RunProgress p;
        List<Consumer<RunProgress>> watchers;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null) {
                return;
            }
            r.run.setState(state).setFinishedAt(now());
            if (error != null) {
                r.run.setError(error);
            }
            r.run.getProgressBuilder().setState(state).setReportedAt(now());
            p = r.run.getProgress();
            watchers = List.copyOf(r.watchers);
            r.watchers.clear();
        }
        watchers.forEach(w -> w.accept(p));
    }

    /**
     * Cancels a run: a queued one is marked CANCELLED (the trainer skips it when it consumes it), a
     * running one is asked to stop at its next iteration.
     */
    public CancelOutcome cancel(String runId, String reason) {
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null) {
                return CancelOutcome.NOT_FOUND;
            }
            switch (r.run.getState()) {
                case RUN_STATE_RUNNING -> {
                    r.cancelRequested = true;
                    return CancelOutcome.STOPPING;
                }
                case RUN_STATE_QUEUED, RUN_STATE_UNSPECIFIED -> r.cancelRequested = true;
                default -> {
                    return CancelOutcome.ALREADY_DONE;
                }
            }
        }
        finished(runId, RunState.RUN_STATE_CANCELLED, "cancelled" + (reason.isEmpty() ? "" : ": " + reason));
        return CancelOutcome.CANCELLED;
    }

    /** True once {@link #cancel} was called for the run. */
    public synchronized boolean cancelRequested(String runId) {
        RunEntry r = runs.get(runId);
        return r != null && r.cancelRequested;
    }

    /**
     * Subscribes to a run's progress: {@code watcher} gets the current report now, then every new
     * one; the last is the run's final state. Returns the way to unsubscribe, or empty if the run is unknown.
     */
    public Optional<Runnable> watch(String runId, Consumer<RunProgress> watcher) {
        RunProgress current;
        boolean done;
        synchronized (this) {
            RunEntry r = runs.get(runId);
            if (r == null) {
                return Optional.empty();
            }
            current = r.run.getProgress();
            done = isTerminal(r.run.getState());
            if (!done) {
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
