package dev.realitycheck.evaluation.leaderboard;

import dev.realitycheck.evaluation.experiments.ExperimentCatalog;
import dev.realitycheck.evaluation.results.EvaluationStore;
import dev.realitycheck.formats.LeaderboardCells;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.ExperimentRun;
import dev.realitycheck.proto.v1.ExperimentState;
import dev.realitycheck.proto.v1.ExperimentSummary;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.Split;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The experiments this service knows, each as an {@link ExperimentSummary}: accepted ones from the
 * {@link ExperimentCatalog} (with their runs' progress) and any other that has evaluations. What
 * {@code ListExperiments}, the HTTP home page and each experiment page's run table show.
 */
@ApplicationScoped
public class ExperimentList {

    private static final Set<RunState> TRAINED = Set.of(RunState.RUN_STATE_SUCCEEDED, RunState.RUN_STATE_FAILED,
            RunState.RUN_STATE_CANCELLED);

    @Inject
    ExperimentCatalog catalog;

    @Inject
    EvaluationStore store;

    @Inject
    Leaderboards leaderboards;

    /** Every known experiment, newest first (by acceptance time; those without one last, by id). */
    public List<ExperimentSummary> all() {
        Set<String> ids = new TreeSet<>(catalog.experimentIds());
        store.list(r -> !r.getBaseline() && !r.getExperimentId().isEmpty()).forEach(r -> ids.add(r.getExperimentId()));
        return ids.stream().map(this::of).flatMap(Optional::stream)
                .sorted(Comparator.comparing((ExperimentSummary s) -> !s.hasCreatedAt())
                        .thenComparing(s -> -s.getCreatedAt().getSeconds())
                        .thenComparing(s -> -s.getCreatedAt().getNanos())
                        .thenComparing(ExperimentSummary::getExperimentId))
                .toList();
    }

    /** The experiment's summary; empty when it is unknown. */
    public Optional<ExperimentSummary> of(String experimentId) {
        Leaderboard board;
        try {
            board = leaderboards.of(experimentId, "", Split.SPLIT_TEST, false);
        } catch (NoSuchElementException | IllegalArgumentException e) {
            return Optional.empty();
        }
        ExperimentSummary.Builder s = ExperimentSummary.newBuilder().setExperimentId(experimentId);
        catalog.experiment(experimentId).ifPresent(r -> s.setName(r.getSpec().getName()).setCreatedAt(r.getCreatedAt()));
        Set<String> chosen = new HashSet<>();
        board.getEntriesList().forEach(e -> chosen.addAll(e.getCheckpointIdsList()));
        List<EvaluationResult> results = store.list(r -> r.getExperimentId().equals(experimentId) && !r.getBaseline()
                && !r.getConcatenated());
        Set<String> evaluatedRuns = new HashSet<>();
        results.stream().filter(r -> r.getSplit() == Split.SPLIT_TEST && chosen.contains(r.getCheckpointId()))
                .forEach(r -> evaluatedRuns.add(r.getRunId()));
        Map<String, ExperimentRun> runs = new TreeMap<>();
        for (RunEvent e : catalog.runs(experimentId)) {
            ExperimentRun.Builder run = ExperimentRun.newBuilder().setRunId(e.getSpec().getRunId())
                    .setLossName(e.getSpec().getLoss().getName().isEmpty() ? e.getSpec().getLoss().getLoss()
                            : e.getSpec().getLoss().getName())
                    .setFold(e.getSpec().getFold()).setSeed(e.getSpec().getSeed()).setState(e.getState())
                    .setIteration(e.getIteration()).setIterations(e.getSpec().getSettings().getIterations())
                    .setEvaluated(evaluatedRuns.contains(e.getSpec().getRunId()));
            if (e.getSpec().hasTrial()) {
                run.setTrial(e.getSpec().getTrial());
            }
            runs.put(run.getRunId(), run.build());
        }
        for (EvaluationResult r : results) {
            // a run known from its evaluations only (its events are not (yet) read): trained, as far as we know
            runs.computeIfAbsent(r.getRunId(), id -> {
                ExperimentRun.Builder run = ExperimentRun.newBuilder().setRunId(id).setLossName(r.getLossName())
                        .setFold(r.getFold()).setSeed(r.getSeed()).setState(RunState.RUN_STATE_SUCCEEDED)
                        .setIteration(r.getIteration()).setEvaluated(evaluatedRuns.contains(id));
                if (r.hasTrial()) {
                    run.setTrial(r.getTrial());
                }
                return run.build();
            });
        }
        s.addAllRuns(runs.values()).setRunsTotal(runs.size())
                .setRunsTrained((int) runs.values().stream().filter(r -> TRAINED.contains(r.getState())).count())
                .setRunsEvaluated((int) runs.values().stream().filter(ExperimentRun::getEvaluated).count())
                .setState(state(runs.values(), board.getBaselinesPending()));
        board.getEntriesList().stream().filter(e -> !e.getBaseline() && e.hasValue())
                .max(Comparator.comparingDouble(e -> e.getValue().getMean()))
                .ifPresent(best -> s.setBestMapAtR(best.getValue().getMean()).setBestLoss(LeaderboardCells.rowName(best)));
        return Optional.of(s.build());
    }

    /** Done once every run is final, every trained run evaluated and no baseline evaluation is pending. */
    private static ExperimentState state(java.util.Collection<ExperimentRun> runs, int baselinesPending) {
        if (runs.isEmpty() || runs.stream().allMatch(r -> r.getState() == RunState.RUN_STATE_QUEUED)) {
            return ExperimentState.EXPERIMENT_STATE_QUEUED;
        }
        if (runs.stream().anyMatch(r -> !TRAINED.contains(r.getState()))) {
            return ExperimentState.EXPERIMENT_STATE_TRAINING;
        }
        return baselinesPending == 0
                && runs.stream().allMatch(r -> r.getEvaluated() || r.getState() != RunState.RUN_STATE_SUCCEEDED)
                ? ExperimentState.EXPERIMENT_STATE_DONE : ExperimentState.EXPERIMENT_STATE_EVALUATING;
    }
}
