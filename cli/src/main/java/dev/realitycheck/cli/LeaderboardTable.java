package dev.realitycheck.cli;

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
 * A {@link Leaderboard} as the paper's table, in Markdown and in HTML: one row per loss and
 * baseline; columns P@1, R-Precision, MAP@R and every Recall@K, each "separated" and
 * "concatenated", as percent mean ± 95% CI half-width over the seeds; then validation MAP@R, runs
 * and the chosen hyperparameters.
 */
final class LeaderboardTable {

    private LeaderboardTable() {
    }

    /** P@1, R-Precision, MAP@R, then each Recall@K present in the board. */
    static List<String> metricColumns(Leaderboard board) {
        List<String> columns = new ArrayList<>(List.of("precision_at_1", "r_precision", "mean_average_precision_at_r"));
        TreeSet<Integer> ks = new TreeSet<>();
        for (LeaderboardEntry e : board.getEntriesList()) {
            e.getMetricsMap().keySet().stream().filter(k -> k.startsWith("recall_at_k/"))
                    .forEach(k -> ks.add(Integer.parseInt(k.substring("recall_at_k/".length()))));
        }
        ks.forEach(k -> columns.add("recall_at_k/" + k));
        return columns;
    }

    static String title(String metric) {
        return switch (metric) {
            case "precision_at_1" -> "P@1";
            case "r_precision" -> "R-Precision";
            case "mean_average_precision_at_r" -> "MAP@R";
            default -> metric.startsWith("recall_at_k/") ? "R@" + metric.substring("recall_at_k/".length()) : metric;
        };
    }

    /** Percent, two decimals: "mean ± half-width", the mean alone for one seed, "–" when absent. */
    static String cell(MetricSummary s) {
        if (s == null) {
            return "–";
        }
        String mean = String.format(Locale.ROOT, "%.2f", 100 * s.getMean());
        return s.hasCi95HalfWidth() ? mean + " ± " + String.format(Locale.ROOT, "%.2f", 100 * s.getCi95HalfWidth()) : mean;
    }

    static String rowName(LeaderboardEntry e) {
        if (e.getBaseline()) {
            return e.getLossName() + " (baseline)";
        }
        return e.hasTrial() ? e.getLossName() + " (search trial " + e.getTrial() + ", no final runs yet)" : e.getLossName();
    }

    /** "loss, miner m, name=value, ..." sorted by name; "" for baselines. */
    static String hyperparameters(LeaderboardEntry e) {
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

    private static List<String> header(List<String> columns) {
        List<String> h = new ArrayList<>(List.of("#", "Loss"));
        for (String c : columns) {
            h.add(title(c) + " sep.");
            h.add(title(c) + " concat.");
        }
        h.addAll(List.of("Val. MAP@R", "Runs", "Hyperparameters"));
        return h;
    }

    private static List<List<String>> rows(Leaderboard board, List<String> columns) {
        List<List<String>> rows = new ArrayList<>();
        for (LeaderboardEntry e : board.getEntriesList()) {
            List<String> r = new ArrayList<>(List.of(Integer.toString(e.getRank()), rowName(e)));
            for (String c : columns) {
                r.add(cell(e.getMetricsMap().get(c)));
                r.add(cell(e.getConcatenatedMetricsMap().get(c)));
            }
            r.add(cell(e.hasValidationMapAtR() ? e.getValidationMapAtR() : null));
            r.add(e.getRunsEvaluated() + "/" + e.getRunsTotal());
            r.add(hyperparameters(e));
            rows.add(r);
        }
        return rows;
    }

    static String markdown(Leaderboard board) {
        List<String> columns = metricColumns(board);
        StringBuilder md = new StringBuilder();
        List<String> header = header(columns);
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            md.append(i < 2 || i == header.size() - 1 ? " --- |" : " ---: |");
        }
        md.append('\n');
        for (List<String> r : rows(board, columns)) {
            md.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        }
        return md.toString();
    }

    static String html(Leaderboard board) {
        List<String> columns = metricColumns(board);
        StringBuilder h = new StringBuilder("<table>\n<thead><tr>");
        for (String c : header(columns)) {
            h.append("<th>").append(esc(c)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows(board, columns)) {
            h.append("<tr>");
            for (String c : r) {
                h.append("<td>").append(esc(c)).append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody></table>\n").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
