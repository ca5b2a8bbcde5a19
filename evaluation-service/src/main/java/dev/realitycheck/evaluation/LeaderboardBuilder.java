package dev.realitycheck.evaluation;

import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.stats.Summary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The leaderboard of an experiment: for each run, the checkpoint {@link CheckpointSelector} picks
 * from validation results; that checkpoint's numbers on the shown split; per loss (and baseline),
 * each metric as mean and 95% confidence interval over the runs (seeds x folds), ranked.
 */
final class LeaderboardBuilder {

    /** Default ranking metric, the paper's primary one. */
    static final String MAP_AT_R = "mean_average_precision_at_r";

    private LeaderboardBuilder() {
    }

    /**
     * @param results every known result of the experiment's runs plus the baselines of its dataset
     */
    static Leaderboard build(String experimentId, String metric, Split split, List<EvaluationResult> results) {
        String rankBy = metric.isEmpty() ? MAP_AT_R : metric;
        Split shown = split == Split.SPLIT_UNSPECIFIED ? Split.SPLIT_TEST : split;
        Map<String, List<EvaluationResult>> byRun = results.stream()
                .collect(Collectors.groupingBy(EvaluationResult::getRunId, TreeMap::new, Collectors.toList()));
        Map<String, List<EvaluationResult>> chosenByLoss = new TreeMap<>();
        Map<String, Integer> runsByLoss = new TreeMap<>();
        for (List<EvaluationResult> run : byRun.values()) {
            String loss = run.get(0).getLossName();
            runsByLoss.merge(loss, 1, Integer::sum);
            List<EvaluationResult> validation = run.stream().filter(r -> r.getSplit() == Split.SPLIT_VALIDATION).toList();
            Optional<EvaluationResult> chosen = CheckpointSelector.best(validation);
            if (chosen.isEmpty()) {
                continue;
            }
            String checkpoint = chosen.get().getCheckpointId();
            run.stream()
                    .filter(r -> r.getCheckpointId().equals(checkpoint) && r.getSplit() == shown && r.hasMetrics())
                    .findFirst()
                    .ifPresent(r -> chosenByLoss.computeIfAbsent(loss, l -> new ArrayList<>()).add(r));
        }
        List<LeaderboardEntry.Builder> rows = new ArrayList<>();
        for (Map.Entry<String, List<EvaluationResult>> e : chosenByLoss.entrySet()) {
            Map<String, MetricSummary> summaries = new LinkedHashMap<>();
            for (String name : metricNames(e.getValue())) {
                double[] values = e.getValue().stream().mapToDouble(r -> value(r.getMetrics(), name)).toArray();
                Summary.of(values).ifPresent(s -> summaries.put(name, toProto(s)));
            }
            LeaderboardEntry.Builder row = LeaderboardEntry.newBuilder()
                    .setLossName(e.getKey())
                    .putAllMetrics(summaries)
                    .addAllCheckpointIds(e.getValue().stream().map(EvaluationResult::getCheckpointId).toList())
                    .setRunsEvaluated(e.getValue().size())
                    .setRunsTotal(runsByLoss.get(e.getKey()));
            if (summaries.containsKey(rankBy)) {
                row.setValue(summaries.get(rankBy));
            }
            rows.add(row);
        }
        rows.sort(Comparator.comparingDouble((LeaderboardEntry.Builder r) -> r.hasValue() ? -r.getValue().getMean()
                : Double.POSITIVE_INFINITY).thenComparing(LeaderboardEntry.Builder::getLossName));
        Leaderboard.Builder board = Leaderboard.newBuilder().setExperimentId(experimentId).setMetric(rankBy).setSplit(shown);
        for (int i = 0; i < rows.size(); i++) {
            board.addEntries(rows.get(i).setRank(i + 1));
        }
        return board.build();
    }

    private static List<String> metricNames(List<EvaluationResult> results) {
        List<String> names = new ArrayList<>(List.of(MAP_AT_R, "r_precision", "precision_at_1"));
        results.stream().flatMap(r -> r.getMetrics().getRecallAtKMap().keySet().stream()).distinct().sorted()
                .forEach(k -> names.add("recall_at_k/" + k));
        return names;
    }

    /** A metric of a result by its leaderboard name; NaN when absent (undefined). */
    static double value(Metrics m, String name) {
        return switch (name) {
            case MAP_AT_R -> m.hasMeanAveragePrecisionAtR() ? m.getMeanAveragePrecisionAtR() : Double.NaN;
            case "r_precision" -> m.hasRPrecision() ? m.getRPrecision() : Double.NaN;
            case "precision_at_1" -> m.hasPrecisionAt1() ? m.getPrecisionAt1() : Double.NaN;
            default -> {
                if (!name.startsWith("recall_at_k/")) {
                    throw new IllegalArgumentException("unknown metric '" + name + "'; expected " + MAP_AT_R
                            + ", r_precision, precision_at_1 or recall_at_k/<K>");
                }
                int k = Integer.parseInt(name.substring("recall_at_k/".length()));
                yield m.getRecallAtKOrDefault(k, Double.NaN);
            }
        };
    }

    private static MetricSummary toProto(Summary s) {
        MetricSummary.Builder b = MetricSummary.newBuilder().setMean(s.mean()).setN(s.n());
        s.ci95HalfWidth().ifPresent(b::setCi95HalfWidth);
        s.stddev().ifPresent(b::setStddev);
        return b.build();
    }
}
