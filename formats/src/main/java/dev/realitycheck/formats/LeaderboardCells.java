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
