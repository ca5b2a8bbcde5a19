package dev.realitycheck.evaluation.leaderboard;

import dev.realitycheck.evaluation.EvaluationConfig;
import dev.realitycheck.evaluation.experiments.ExperimentCatalog;
import dev.realitycheck.evaluation.results.EvaluationStore;
import dev.realitycheck.evaluation.scoring.Baselines;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.Split;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds an experiment's leaderboard from the {@link EvaluationStore}: the experiment's results, its
 * concatenated evaluations and the baselines of its dataset and fold count, on the folds the
 * experiment runs only (a baseline averaged over other folds would not be comparable); with the
 * runs the {@link ExperimentCatalog} knows, so runs not evaluated yet show as pending. Shared by the
 * gRPC {@code GetLeaderboard}, the HTTP page ({@link LeaderboardPage}) and the experiment list
 * ({@link ExperimentList}).
 */
@ApplicationScoped
public class Leaderboards {

    private static final Pattern METRIC = Pattern.compile("mean_average_precision_at_r|r_precision|precision_at_1|recall_at_k/[1-9][0-9]*");

    @Inject
    EvaluationStore store;

    @Inject
    ExperimentCatalog catalog;

    @Inject
    EvaluationConfig config;

    /**
     * @throws IllegalArgumentException naming the field, for a bad metric, experiment id or split
     * @throws NoSuchElementException   when the experiment is unknown: neither accepted by a trainer nor evaluated
     */
    public Leaderboard of(String experimentId, String metric, Split split, boolean rankByConcatenated) {
        if (experimentId == null || experimentId.isEmpty()) {
            throw new IllegalArgumentException("experiment_id is required");
        }
        if (!metric.isEmpty() && !METRIC.matcher(metric).matches()) {
            throw new IllegalArgumentException("metric '" + metric + "' is not one of mean_average_precision_at_r, "
                    + "r_precision, precision_at_1, recall_at_k/<K>");
        }
        if (rankByConcatenated && split == Split.SPLIT_VALIDATION) {
            throw new IllegalArgumentException("rank_by_concatenated needs split SPLIT_TEST: concatenations are test evaluations");
        }
        List<EvaluationResult> runs = store.list(r -> r.getExperimentId().equals(experimentId) && !r.getBaseline());
        List<RunSpec> known = catalog.runs(experimentId).stream().map(RunEvent::getSpec).toList();
        Optional<ExperimentRecord> record = catalog.experiment(experimentId);
        if (runs.isEmpty() && known.isEmpty() && record.isEmpty()) {
            throw new NoSuchElementException("no experiment '" + experimentId + "': no trainer accepted it and no "
                    + "evaluation names it");
        }
        dev.realitycheck.proto.v1.DatasetSpec datasetSpec = !runs.isEmpty() ? runs.get(0).getDataset()
                : !known.isEmpty() ? known.get(0).getDataset() : record.orElseThrow().getSpec().getDataset();
        String dataset = datasetSpec.getName();
        int folds = !runs.isEmpty() ? runs.get(0).getFoldCount() : !known.isEmpty() ? known.get(0).getFoldCount() : 0;
        Set<Integer> foldsRun = new TreeSet<>();
        runs.stream().filter(r -> !r.getConcatenated()).forEach(r -> foldsRun.add(r.getFold()));
        known.forEach(r -> foldsRun.add(r.getFold()));
        List<EvaluationResult> baselines = store.list(r -> r.getBaseline() && r.getDataset().getName().equals(dataset)
                && (folds == 0 || r.getFoldCount() == folds) && foldsRun.contains(r.getFold()));
        List<EvaluationResult> withBaselines = new ArrayList<>(runs);
        withBaselines.addAll(baselines);
        return LeaderboardBuilder.build(experimentId, metric, split, rankByConcatenated, withBaselines, known).toBuilder()
                .setBaselinesPending(Baselines.appliesTo(datasetSpec) ? baselinesPending(foldsRun, baselines) : 0).build();
    }

    /** Baseline evaluations (name x fold run x split) not in {@code published}; 0 when the service scores none. */
    private int baselinesPending(Set<Integer> foldsRun, List<EvaluationResult> published) {
        if (!config.baselines()) {
            return 0;
        }
        Set<String> seen = new HashSet<>();
        published.forEach(r -> seen.add(r.getLossName() + "/" + r.getFold() + "/" + r.getSplit()));
        int pending = 0;
        for (String name : Baselines.NAMES) {
            for (int fold : foldsRun) {
                for (Split s : List.of(Split.SPLIT_VALIDATION, Split.SPLIT_TEST)) {
                    pending += seen.contains(name + "/" + fold + "/" + s) ? 0 : 1;
                }
            }
        }
        return pending;
    }
}
