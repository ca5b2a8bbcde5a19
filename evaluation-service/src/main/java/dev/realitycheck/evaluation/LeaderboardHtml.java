package dev.realitycheck.evaluation;

import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders a {@link Leaderboard} as an HTML page shaped like the paper's tables: one row per loss
 * (and baseline), columns P@1, R-Precision, MAP@R and Recall@K, each "separated" and
 * "concatenated" as mean ± 95% CI half-width, plus the chosen hyperparameters. The page reloads
 * itself when the service announces a new evaluation of the experiment (Server-Sent Events from
 * {@code /leaderboard/<id>/events}; without JavaScript a meta refresh every 15 s).
 */
final class LeaderboardHtml {

    private LeaderboardHtml() {
    }

    /** The metric columns of a board: P@1, R-Precision, MAP@R, then every Recall@K present. */
    static List<String> metricColumns(Leaderboard board) {
        List<String> columns = new ArrayList<>(List.of("precision_at_1", "r_precision", LeaderboardBuilder.MAP_AT_R));
        TreeSet<Integer> ks = new TreeSet<>();
        for (LeaderboardEntry e : board.getEntriesList()) {
            e.getMetricsMap().keySet().stream().filter(k -> k.startsWith("recall_at_k/"))
                    .forEach(k -> ks.add(Integer.parseInt(k.substring("recall_at_k/".length()))));
        }
        ks.forEach(k -> columns.add("recall_at_k/" + k));
        return columns;
    }

    /** A column's title, e.g. "MAP@R", "R@4". */
    static String title(String metric) {
        return switch (metric) {
            case "precision_at_1" -> "P@1";
            case "r_precision" -> "R-Precision";
            case LeaderboardBuilder.MAP_AT_R -> "MAP@R";
            default -> metric.startsWith("recall_at_k/") ? "R@" + metric.substring("recall_at_k/".length()) : metric;
        };
    }

    /** "mean ± half-width" in percent with two decimals (the paper's style), "mean" alone when n = 1, "" when absent. */
    static String cell(MetricSummary s) {
        if (s == null) {
            return "";
        }
        String mean = String.format(Locale.ROOT, "%.2f", 100 * s.getMean());
        return s.hasCi95HalfWidth() ? mean + " ± " + String.format(Locale.ROOT, "%.2f", 100 * s.getCi95HalfWidth()) : mean;
    }

    /** The row's hyperparameters, "name=value" sorted by name, miner ones prefixed "miner."; "" when none. */
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

    /** The row's name as shown: baselines marked, trial rows marked with their trial. */
    static String rowName(LeaderboardEntry e) {
        if (e.getBaseline()) {
            return e.getLossName() + " (baseline)";
        }
        return e.hasTrial() ? e.getLossName() + " (search trial " + e.getTrial() + ", no final runs yet)" : e.getLossName();
    }

    static String page(String experimentId, Leaderboard board, String eventsPath) {
        StringBuilder h = new StringBuilder();
        head(h, experimentId, eventsPath);
        List<String> columns = metricColumns(board);
        h.append("<p>Metric ranked: ").append(esc(title(board.getMetric()))).append(board.getRankedByConcatenated()
                ? " (concatenated)" : " (separated)").append("; split: ")
                .append(board.getSplit() == Split.SPLIT_VALIDATION ? "validation" : "test")
                .append(". Values in percent, mean ± 95% confidence interval (Student t, n-1) over the seeds. "
                        + "Checkpoints chosen by validation MAP@R only.</p>\n");
        h.append("<table id=\"leaderboard\">\n<thead><tr><th rowspan=\"2\">#</th><th rowspan=\"2\">Loss</th>");
        for (String c : columns) {
            h.append("<th colspan=\"2\">").append(esc(title(c))).append("</th>");
        }
        h.append("<th rowspan=\"2\">Val. MAP@R</th><th rowspan=\"2\">Runs</th><th rowspan=\"2\">Hyperparameters</th></tr>\n<tr>");
        for (int i = 0; i < columns.size(); i++) {
            h.append("<th>sep.</th><th>concat.</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (LeaderboardEntry e : board.getEntriesList()) {
            h.append("<tr class=\"").append(e.getBaseline() ? "baseline" : "loss").append("\" data-loss=\"")
                    .append(esc(e.getLossName())).append("\"><td>").append(e.getRank()).append("</td><td>")
                    .append(esc(rowName(e))).append("</td>");
            for (String c : columns) {
                h.append("<td>").append(esc(cell(e.getMetricsMap().get(c)))).append("</td><td>")
                        .append(esc(cell(e.getConcatenatedMetricsMap().get(c)))).append("</td>");
            }
            h.append("<td>").append(esc(cell(e.hasValidationMapAtR() ? e.getValidationMapAtR() : null))).append("</td><td>")
                    .append(e.getRunsEvaluated()).append('/').append(e.getRunsTotal()).append("</td><td>")
                    .append(esc(hyperparameters(e))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</body></html>\n");
        return h.toString();
    }

    static String notYet(String experimentId, String message, String eventsPath) {
        StringBuilder h = new StringBuilder();
        head(h, experimentId, eventsPath);
        return h.append("<p class=\"empty\">").append(esc(message)).append("; this page fills in as evaluations arrive.</p>\n")
                .append("</body></html>\n").toString();
    }

    private static void head(StringBuilder h, String experimentId, String eventsPath) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Leaderboard ")
                .append(esc(experimentId)).append("</title>\n")
                .append("<noscript><meta http-equiv=\"refresh\" content=\"15\"></noscript>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:nth-child(2),"
                        + "td:last-child{text-align:left}tr.baseline{color:#666;font-style:italic}</style>\n")
                .append("<script>(function(){var t=null;var es=new EventSource('").append(esc(eventsPath))
                .append("');es.addEventListener('evaluation',function(){if(!t){t=setTimeout(function(){"
                        + "location.reload();},2000);}});})();</script>\n")
                .append("</head><body>\n<h1>Leaderboard of experiment ").append(esc(experimentId)).append("</h1>\n");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
