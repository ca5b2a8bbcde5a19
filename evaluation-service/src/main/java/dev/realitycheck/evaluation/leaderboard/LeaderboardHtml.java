package dev.realitycheck.evaluation.leaderboard;

import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.formats.LeaderboardCells;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link Leaderboard} as an HTML page shaped like the paper's tables: one row per loss
 * (and baseline), columns P@1, R-Precision, MAP@R and Recall@K, each "separated" and
 * "concatenated" as mean ± 95% CI half-width, plus the chosen hyperparameters. The page reloads
 * itself when the service announces a new evaluation of the experiment (Server-Sent Events from
 * {@code /leaderboard/<id>/events}; without JavaScript a meta refresh every 15 s).
 */
public final class LeaderboardHtml {

    private LeaderboardHtml() {
    }

    static List<String> metricColumns(Leaderboard board) {
        return LeaderboardCells.metricColumns(board);
    }

    static String title(String metric) {
        return LeaderboardCells.title(metric);
    }

    /** {@link LeaderboardCells#cell}, "" when absent. */
    public static String cell(MetricSummary s) {
        return LeaderboardCells.cell(s, "");
    }

    static String hyperparameters(LeaderboardEntry e) {
        return LeaderboardCells.hyperparameters(e);
    }

    static String rowName(LeaderboardEntry e) {
        return LeaderboardCells.rowName(e);
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
