package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import java.util.Locale;

/**
 * A {@link Leaderboard} as a text table: one row per loss, best first, with the ranked metric's
 * mean and 95% confidence half-width over the runs, Precision@1 and R-Precision, and how many of
 * the loss's runs were scored.
 */
final class LeaderboardTable {

    private LeaderboardTable() {
    }

    static String of(Leaderboard board) {
        String split = board.getSplit().name().replace("SPLIT_", "").toLowerCase(Locale.ROOT);
        String metric = board.getMetric().isEmpty() ? "mean_average_precision_at_r" : board.getMetric();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Leaderboard of %s: %s on the %s classes (checkpoints chosen on validation)%n",
                board.getExperimentId(), label(metric), split));
        sb.append(String.format(Locale.ROOT, "%4s  %-24s %-18s %-18s %-18s %s%n", "rank", "loss", label(metric),
                "Precision@1", "R-Precision", "runs"));
        for (LeaderboardEntry e : board.getEntriesList()) {
            sb.append(String.format(Locale.ROOT, "%4d  %-24s %-18s %-18s %-18s %d/%d%n", e.getRank(), e.getLossName(),
                    summary(e.getValue()), summary(e.getMetricsMap().get("precision_at_1")),
                    summary(e.getMetricsMap().get("r_precision")), e.getRunsEvaluated(), e.getRunsTotal()));
        }
        if (board.getEntriesCount() == 0) {
            sb.append("      (no scored runs yet)\n");
        }
        return sb.toString();
    }

    /** {@code 0.4712 ± 0.0123} (mean and 95% half-width), or the mean alone for one run. */
    static String summary(MetricSummary s) {
        if (s == null || s.getN() == 0) {
            return "-";
        }
        return s.hasCi95HalfWidth()
                ? String.format(Locale.ROOT, "%.4f ± %.4f", s.getMean(), s.getCi95HalfWidth())
                : String.format(Locale.ROOT, "%.4f", s.getMean());
    }

    private static String label(String metric) {
        return switch (metric) {
            case "mean_average_precision_at_r" -> "MAP@R";
            case "precision_at_1" -> "Precision@1";
            case "r_precision" -> "R-Precision";
            default -> metric;
        };
    }
}
