package dev.realitycheck.evaluation.experiments;

import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.RunEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The experiments the trainers accepted ({@code realitycheck.experiments}) and the latest event of
 * each of their runs ({@code realitycheck.run-events}), as {@link ExperimentFollower} reads them: how
 * the evaluation service knows an experiment before its first evaluation, which runs it has (so
 * that pending runs can be shown as pending) and how far each run has trained. Thread-safe.
 */
@ApplicationScoped
public class ExperimentCatalog {

    private final Map<String, ExperimentRecord> experiments = new HashMap<>();
    /** Experiment id to run id to the run's latest event. */
    private final Map<String, Map<String, RunEvent>> runs = new HashMap<>();

    /** Knows an accepted experiment (a record seen again replaces the old one). */
    public synchronized void apply(ExperimentRecord record) {
        if (!record.getExperimentId().isEmpty()) {
            experiments.put(record.getExperimentId(), record);
        }
    }

    /** Keeps the run's latest event (events of one run arrive in order: one key, one partition). */
    public synchronized void apply(RunEvent event) {
        String experiment = event.getSpec().getExperimentId();
        if (!experiment.isEmpty() && !event.getSpec().getRunId().isEmpty()) {
            runs.computeIfAbsent(experiment, e -> new TreeMap<>()).put(event.getSpec().getRunId(), event);
        }
    }

    /** The accepted experiment, if its record was seen. */
    public synchronized Optional<ExperimentRecord> experiment(String experimentId) {
        return Optional.ofNullable(experiments.get(experimentId));
    }

    /** The latest event of each known run of the experiment, by run id; empty when none is known. */
    public synchronized List<RunEvent> runs(String experimentId) {
        return new ArrayList<>(runs.getOrDefault(experimentId, Map.of()).values());
    }

    /** Whether the experiment's record or any of its runs was seen. */
    public synchronized boolean knows(String experimentId) {
        return experiments.containsKey(experimentId) || runs.containsKey(experimentId);
    }

    /** Every experiment seen (a record or a run), by id. */
    public synchronized List<String> experimentIds() {
        TreeSet<String> ids = new TreeSet<>(experiments.keySet());
        ids.addAll(runs.keySet());
        return List.copyOf(ids);
    }
}
