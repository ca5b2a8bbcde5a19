package dev.realitycheck.evaluation.leaderboard;

import dev.realitycheck.evaluation.results.EvaluationStore;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.Split;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Builds an experiment's leaderboard from the {@link EvaluationStore}: the experiment's results, its
 * concatenated evaluations and the baselines of its dataset and fold count. Shared by the gRPC
 * {@code GetLeaderboard} and the HTTP page ({@link LeaderboardPage}).
 */
@ApplicationScoped
public class Leaderboards {

    private static final Pattern METRIC = Pattern.compile("mean_average_precision_at_r|r_precision|precision_at_1|recall_at_k/[1-9][0-9]*");

    @Inject
    EvaluationStore store;

    /**
     * @throws IllegalArgumentException naming the field, for a bad metric, experiment id or split
     * @throws NoSuchElementException   when the experiment has no evaluations
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
        if (runs.isEmpty()) {
            throw new NoSuchElementException("no evaluations of experiment '" + experimentId + "'");
        }
        EvaluationResult first = runs.get(0);
        String dataset = first.getDataset().getName();
        int folds = first.getFoldCount();
        List<EvaluationResult> withBaselines = new ArrayList<>(runs);
        withBaselines.addAll(store.list(r -> r.getBaseline() && r.getDataset().getName().equals(dataset)
                && (folds == 0 || r.getFoldCount() == folds)));
        return LeaderboardBuilder.build(experimentId, metric, split, rankByConcatenated, withBaselines);
    }
}
