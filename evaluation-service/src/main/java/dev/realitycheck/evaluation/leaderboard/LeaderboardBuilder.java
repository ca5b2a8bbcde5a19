package dev.realitycheck.evaluation.leaderboard;

import dev.realitycheck.evaluation.results.CheckpointSelector;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.stats.Summary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The leaderboard of an experiment, shaped like the paper's tables.
 *
 * <p>Rows: every loss config's final reproductions (runs without a search trial); a loss that only
 * has trials so far shows its best trial (highest mean validation MAP@R of the chosen checkpoints);
 * and the baselines. For each run the checkpoint {@link CheckpointSelector} picks from VALIDATION
 * results only. "Separated": per seed, the chosen checkpoints' values on the shown split averaged
 * over the folds. "Concatenated": per seed, the concatenated test evaluation. Every number is the
 * mean and 95% confidence interval over the seeds ({@link Summary}: Student t, n-1).
 *
 * <p>Runs known from the trainers' events but without any evaluation yet count in their row's
 * {@code runs_total} (they are pending: a row may have no values at all yet); a row's {@code folds}
 * are its runs' folds.
 */
final class LeaderboardBuilder {

    /** Default ranking metric, the paper's primary one. */
    static final String MAP_AT_R = "mean_average_precision_at_r";

    private LeaderboardBuilder() {
    }

    /** A run with the checkpoint chosen on validation and that checkpoint's result on the shown split. */
    private record RunOutcome(EvaluationResult any, Optional<EvaluationResult> chosen, Optional<EvaluationResult> shown) {
        boolean contributes() {
            return shown.isPresent();
        }
    }

    /** As {@link #build(String, String, Split, boolean, List, List)}, ranked by the separated values, no runs pending. */
    static Leaderboard build(String experimentId, String metric, Split split, List<EvaluationResult> results) {
        return build(experimentId, metric, split, false, results, List.of());
    }

    /** As {@link #build(String, String, Split, boolean, List, List)}, no runs pending. */
    static Leaderboard build(String experimentId, String metric, Split split, boolean rankByConcatenated,
                             List<EvaluationResult> results) {
        return build(experimentId, metric, split, rankByConcatenated, results, List.of());
    }

    /**
     * @param results every known result of the experiment's runs (concatenated ones included) plus
     *                the baselines of its dataset and fold count
     * @param known   the experiment's runs known so far (evaluated or not): those without results are pending
     */
    static Leaderboard build(String experimentId, String metric, Split split, boolean rankByConcatenated,
                             List<EvaluationResult> results, List<RunSpec> known) {
        String rankBy = metric.isEmpty() ? MAP_AT_R : metric;
        Split shown = split == Split.SPLIT_UNSPECIFIED ? Split.SPLIT_TEST : split;
        List<EvaluationResult> concatenated = results.stream()
                .filter(r -> r.getConcatenated() && r.getSplit() == Split.SPLIT_TEST && r.hasMetrics()).toList();
        Map<String, List<EvaluationResult>> byRun = results.stream().filter(r -> !r.getConcatenated())
                .collect(Collectors.groupingBy(EvaluationResult::getRunId, TreeMap::new, Collectors.toList()));
        Map<String, List<RunOutcome>> runsByRow = new TreeMap<>();
        for (List<EvaluationResult> run : byRun.values()) {
            runsByRow.computeIfAbsent(run.get(0).getLossName(), l -> new ArrayList<>()).add(outcome(run, shown));
        }
        for (RunSpec spec : known) {
            if (!byRun.containsKey(spec.getRunId())) {
                EvaluationResult pending = pending(spec);
                runsByRow.computeIfAbsent(pending.getLossName(), l -> new ArrayList<>())
                        .add(new RunOutcome(pending, Optional.empty(), Optional.empty()));
            }
        }
        List<LeaderboardEntry.Builder> rows = new ArrayList<>();
        for (Map.Entry<String, List<RunOutcome>> e : runsByRow.entrySet()) {
            rows.add(row(e.getKey(), e.getValue(), shown, rankBy, concatenated));
        }
        ToDoubleFunction<LeaderboardEntry.Builder> key = rankByConcatenated
                ? r -> r.hasConcatenatedValue() ? -r.getConcatenatedValue().getMean() : Double.POSITIVE_INFINITY
                : r -> r.hasValue() ? -r.getValue().getMean() : Double.POSITIVE_INFINITY;
        rows.sort(Comparator.comparingDouble(key).thenComparing(LeaderboardEntry.Builder::getLossName));
        Leaderboard.Builder board = Leaderboard.newBuilder().setExperimentId(experimentId).setMetric(rankBy)
                .setSplit(shown).setRankedByConcatenated(rankByConcatenated);
        for (int i = 0; i < rows.size(); i++) {
            board.addEntries(rows.get(i).setRank(i + 1));
        }
        return board.build();
    }

    /**
     * A run without evaluations as a result-shaped placeholder (its ids, loss, fold and seed, no
     * metrics). Its row is the loss's label as the trainer names it: the config's name, else its loss.
     */
    private static EvaluationResult pending(RunSpec spec) {
        String label = spec.getLoss().getName().isEmpty() ? spec.getLoss().getLoss() : spec.getLoss().getName();
        EvaluationResult.Builder r = EvaluationResult.newBuilder().setRunId(spec.getRunId())
                .setExperimentId(spec.getExperimentId()).setLossName(label).setFold(spec.getFold()).setSeed(spec.getSeed())
                .setFoldCount(spec.getFoldCount()).setDataset(spec.getDataset()).setLoss(spec.getLoss());
        if (spec.hasTrial()) {
            r.setTrial(spec.getTrial());
        }
        return r.build();
    }

    private static RunOutcome outcome(List<EvaluationResult> run, Split shown) {
        // the selector only ever sees validation results: test numbers cannot steer the choice
        Optional<EvaluationResult> chosen = CheckpointSelector.best(
                run.stream().filter(r -> r.getSplit() == Split.SPLIT_VALIDATION).toList());
        Optional<EvaluationResult> shownResult = chosen.flatMap(c -> run.stream()
                .filter(r -> r.getCheckpointId().equals(c.getCheckpointId()) && r.getSplit() == shown && r.hasMetrics()
                        && r.getError().isEmpty())
                .findFirst());
        return new RunOutcome(run.get(0), chosen, shownResult);
    }

    private static LeaderboardEntry.Builder row(String name, List<RunOutcome> runs, Split shown, String rankBy,
                                                List<EvaluationResult> concatenated) {
        boolean baseline = runs.stream().anyMatch(r -> r.any().getBaseline());
        List<RunOutcome> finals = runs.stream().filter(r -> !r.any().hasTrial()).toList();
        OptionalInt trial = OptionalInt.empty();
        List<RunOutcome> used = finals;
        if (finals.isEmpty()) {
            trial = bestTrial(runs);
            int t = trial.orElse(-1);
            used = runs.stream().filter(r -> r.any().getTrial() == t).toList();
        }
        List<RunOutcome> contributing = used.stream().filter(RunOutcome::contributes).toList();
        List<EvaluationResult> shownResults = contributing.stream().map(r -> r.shown().orElseThrow()).toList();
        LeaderboardEntry.Builder row = LeaderboardEntry.newBuilder()
                .setLossName(name)
                .setBaseline(baseline)
                .putAllMetrics(bySeed(shownResults))
                .addAllCheckpointIds(shownResults.stream().map(EvaluationResult::getCheckpointId).toList())
                .setRunsEvaluated(contributing.size())
                .setRunsTotal(used.size())
                .addAllFolds(new TreeSet<>(used.stream().map(r -> r.any().getFold()).toList()));
        trial.ifPresent(row::setTrial);
        used.stream().map(RunOutcome::any).filter(EvaluationResult::hasLoss).findFirst()
                .ifPresent(r -> row.setLoss(r.getLoss()));
        // the runs the test values describe, no others: a run still training has no final choice yet
        List<EvaluationResult> chosenValidation = contributing.stream().flatMap(r -> r.chosen().stream()).toList();
        MetricSummary validation = bySeed(chosenValidation).get(MAP_AT_R);
        if (validation != null) {
            row.setValidationMapAtR(validation);
        }
        if (row.getMetricsMap().containsKey(rankBy)) {
            row.setValue(row.getMetricsMap().get(rankBy));
        }
        if (shown == Split.SPLIT_TEST && !baseline) {
            OptionalInt rowTrial = trial;
            List<EvaluationResult> concat = concatenated.stream()
                    .filter(r -> r.getLossName().equals(name)
                            && (rowTrial.isPresent() ? r.hasTrial() && r.getTrial() == rowTrial.getAsInt() : !r.hasTrial()))
                    .sorted(Comparator.comparingLong(EvaluationResult::getSeed)).toList();
            row.putAllConcatenatedMetrics(bySeed(concat))
                    .addAllConcatenatedEvaluationIds(concat.stream().map(EvaluationResult::getEvaluationId).toList());
            if (row.getConcatenatedMetricsMap().containsKey(rankBy)) {
                row.setConcatenatedValue(row.getConcatenatedMetricsMap().get(rankBy));
            }
        }
        return row;
    }

    /** The trial whose chosen checkpoints have the highest mean validation MAP@R (ties: the lower index). */
    private static OptionalInt bestTrial(List<RunOutcome> runs) {
        Map<Integer, List<Double>> byTrial = new TreeMap<>();
        for (RunOutcome r : runs) {
            if (r.any().hasTrial()) {
                List<Double> values = byTrial.computeIfAbsent(r.any().getTrial(), t -> new ArrayList<>());
                r.chosen().ifPresent(c -> values.add(c.getMetrics().getMeanAveragePrecisionAtR()));
            }
        }
        OptionalInt best = OptionalInt.empty();
        double bestMean = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Integer, List<Double>> e : byTrial.entrySet()) {
            double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NEGATIVE_INFINITY);
            if (best.isEmpty() || mean > bestMean) {
                best = OptionalInt.of(e.getKey());
                bestMean = mean;
            }
        }
        return best;
    }

    /**
     * Every metric: per seed the mean over that seed's results (its folds), then mean and 95% CI
     * over the seeds.
     */
    static Map<String, MetricSummary> bySeed(List<EvaluationResult> results) {
        Map<Long, List<EvaluationResult>> seeds = results.stream()
                .collect(Collectors.groupingBy(EvaluationResult::getSeed, TreeMap::new, Collectors.toList()));
        Map<String, MetricSummary> summaries = new LinkedHashMap<>();
        for (String name : metricNames(results)) {
            double[] perSeed = seeds.values().stream().mapToDouble(rs -> rs.stream()
                    .mapToDouble(r -> value(r.getMetrics(), name)).filter(Double::isFinite).average().orElse(Double.NaN))
                    .toArray();
            Summary.of(perSeed).ifPresent(s -> summaries.put(name, toProto(s)));
        }
        return summaries;
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
