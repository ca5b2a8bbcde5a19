package dev.realitycheck.formats;

import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.MetricSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a {@link Leaderboard} reads in a table, whatever the medium: its columns, their titles, a
 * metric cell, a row's name and its hyperparameters. Shared by the evaluation service's live page
 * and the command line's Markdown/HTML report so both show the same text.
 */
public final class LeaderboardCells {

    private static final String RECALL = "recall_at_k/";

    private LeaderboardCells() {
    }

    /** P@1, R-Precision, MAP@R, then each Recall@K present in the board, K ascending. */
    public static List<String> metricColumns(Leaderboard board) {
        List<String> columns = new ArrayList<>(List.of("precision_at_1", "r_precision", "mean_average_precision_at_r"));
        TreeSet<Integer> ks = new TreeSet<>();
        for (LeaderboardEntry e : board.getEntriesList()) {
            e.getMetricsMap().keySet().stream().filter(k -> k.startsWith(RECALL))
                    .forEach(k -> ks.add(Integer.parseInt(k.substring(RECALL.length()))));
        }
        ks.forEach(k -> columns.add(RECALL + k));
        return columns;
    }

    /** A column's title, e.g. "MAP@R", "R@4". */
    public static String title(String metric) {
        return switch (metric) {
            case "precision_at_1" -> "P@1";
            case "r_precision" -> "R-Precision";
            case "mean_average_precision_at_r" -> "MAP@R";
            default -> metric.startsWith(RECALL) ? "R@" + metric.substring(RECALL.length()) : metric;
        };
    }

    /**
     * "mean ± half-width" in percent with two decimals (the paper's style), the mean alone for one
     * seed, {@code absent} when there is no value.
     */
    public static String cell(MetricSummary s, String absent) {
        if (s == null) {
            return absent;
        }
        String mean = String.format(Locale.ROOT, "%.2f", 100 * s.getMean());
        return s.hasCi95HalfWidth() ? mean + " ± " + String.format(Locale.ROOT, "%.2f", 100 * s.getCi95HalfWidth()) : mean;
    }

    /** The row's name as shown: baselines marked, trial rows marked with their trial. */
    public static String rowName(LeaderboardEntry e) {
        if (e.getBaseline()) {
            return e.getLossName() + " (baseline)";
        }
        return e.hasTrial() ? e.getLossName() + " (search trial " + e.getTrial() + ", no final runs yet)" : e.getLossName();
    }

    /** Whether the board has "concatenated" columns: only when the experiment runs more than one fold (or some row has such values). */
    public static boolean showConcatenated(Leaderboard board) {
        TreeSet<Integer> folds = new TreeSet<>();
        for (LeaderboardEntry e : board.getEntriesList()) {
            if (!e.getConcatenatedMetricsMap().isEmpty()) {
                return true;
            }
            folds.addAll(e.getFoldsList());
        }
        return folds.size() > 1;
    }

    /**
     * The "Runs" cell: for a baseline the folds it is a reference on ("fold 0", "folds 0, 1"), since
     * its runs are no trainings; for a loss "4/4" when every run is evaluated, else "1/4, 3 pending".
     */
    public static String runs(LeaderboardEntry e) {
        if (e.getBaseline()) {
            List<String> folds = e.getFoldsList().stream().map(String::valueOf).toList();
            return folds.isEmpty() ? "reference" : (folds.size() == 1 ? "fold " : "folds ") + String.join(", ", folds);
        }
        int pending = e.getRunsTotal() - e.getRunsEvaluated();
        String done = e.getRunsEvaluated() + "/" + e.getRunsTotal();
        return pending > 0 ? done + ", " + pending + " pending" : done;
    }

    /**
     * Runs of the loss rows (baselines left out) with an evaluated chosen checkpoint, all of them,
     * and the baseline evaluations still to come ({@code Leaderboard.baselines_pending}).
     */
    public record Progress(int evaluated, int total, int baselinesPending) {
        /** The counts are non-negative and evaluated never exceeds total. */
        public Progress {
            if (evaluated < 0 || total < evaluated || baselinesPending < 0) {
                throw new IllegalArgumentException("need 0 <= evaluated <= total and baselines pending >= 0, got "
                        + evaluated + " of " + total + ", " + baselinesPending + " baselines pending");
            }
        }

        /** The runs still waiting for training or evaluation. */
        public int pending() {
            return total - evaluated;
        }

        /**
         * "1 of 4 runs evaluated, 3 pending", "all 4 runs evaluated", "no runs yet", each followed by
         * "; 4 baseline evaluations pending" while baselines are still to come.
         */
        @Override
        public String toString() {
            String runs;
            if (total == 0) {
                runs = "no runs yet";
            } else if (pending() == 0) {
                runs = total == 1 ? "the one run evaluated" : "all " + total + " runs evaluated";
            } else {
                runs = evaluated + " of " + total + (total == 1 ? " run" : " runs") + " evaluated, " + pending() + " pending";
            }
            return baselinesPending == 0 ? runs : runs + "; " + baselinesPending
                    + (baselinesPending == 1 ? " baseline evaluation" : " baseline evaluations") + " pending";
        }
    }

    /** The board's {@link Progress}. */
    public static Progress progress(Leaderboard board) {
        int evaluated = 0;
        int total = 0;
        for (LeaderboardEntry e : board.getEntriesList()) {
            if (!e.getBaseline()) {
                evaluated += e.getRunsEvaluated();
                total += e.getRunsTotal();
            }
        }
        return new Progress(evaluated, total, board.getBaselinesPending());
    }

    /** "loss, miner m, name=value, ..." sorted by name, miner ones prefixed "miner."; "" for baselines. */
    public static String hyperparameters(LeaderboardEntry e) {
        if (!e.hasLoss()) {
            return "";
        }
        LossConfig loss = e.getLoss();
        Map<String, Double> all = new TreeMap<>(loss.getHyperparametersMap());
        loss.getMinerHyperparametersMap().forEach((k, v) -> all.put("miner." + k, v));
        List<String> parts = new ArrayList<>();
        if (!loss.getLoss().isEmpty() && !loss.getLoss().equals(e.getLossName())) {
            parts.add(loss.getLoss());
        }
        if (!loss.getMiner().isEmpty()) {
            parts.add("miner " + loss.getMiner());
        }
        all.forEach((k, v) -> parts.add(k + "=" + String.format(Locale.ROOT, "%.4g", v)));
        return String.join(", ", parts);
    }
}
