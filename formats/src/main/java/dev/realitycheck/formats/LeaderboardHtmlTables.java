package dev.realitycheck.formats;

import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Split;
import java.util.List;

/**
 * A {@link Leaderboard} as HTML, the one rendering shared by the evaluation service's live page and
 * the command line's {@code report.html}: a line saying how many runs are evaluated and pending,
 * the paper's table (P@1, R-Precision, MAP@R, each "sep." and, only when the experiment runs more
 * than one fold, "concat."; then validation MAP@R, runs and hyperparameters) and a second table
 * with the Recall@K columns, so that the first fits a 1,280 px window. Baseline rows are grey and
 * italic, rows with pending runs say so. Cells are {@link LeaderboardCells}'.
 */
public final class LeaderboardHtmlTables {

    /** The style of the tables, for a page's {@code <style>} element. */
    public static final String CSS = "body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1240px}"
            + "table{border-collapse:collapse;margin:.6em 0;font-size:14px}"
            + "th,td{border:1px solid #ccc;padding:.25em .45em;text-align:right;white-space:nowrap}"
            + "th{background:#f3f3f3;text-align:center}td.name,td.hp{text-align:left}"
            + "caption{text-align:left;font-weight:bold;padding:.3em 0}"
            + "td.hp{white-space:normal;font-size:12px;min-width:12em;max-width:22em}"
            + "tr.baseline td{color:#666;font-style:italic;background:#f7f7f7}"
            + "tr.pending td.runs{color:#a04000}p.progress{font-weight:bold}";

    private static final String[] MAIN = {"precision_at_1", "r_precision", "mean_average_precision_at_r"};

    private LeaderboardHtmlTables() {
    }

    /** The progress line and the two tables (the second only when the board has Recall@K values). */
    public static String tables(Leaderboard board) {
        boolean concat = LeaderboardCells.showConcatenated(board);
        StringBuilder h = new StringBuilder();
        h.append("<p class=\"progress\">").append(esc(capitalised(LeaderboardCells.progress(board).toString())))
                .append(".</p>\n");
        String span = concat ? " rowspan=\"2\"" : "";
        String classes = board.getSplit() == Split.SPLIT_VALIDATION ? "validation" : "test";
        h.append("<table id=\"leaderboard\">\n<caption>On the ").append(classes)
                .append(" classes; each run's checkpoint chosen on validation</caption>\n<thead><tr><th").append(span)
                .append(">#</th><th").append(span).append(">Loss</th>");
        for (String c : MAIN) {
            h.append(concat ? "<th colspan=\"2\">" : "<th>").append(esc(LeaderboardCells.title(c))).append("</th>");
        }
        h.append("<th").append(span).append(">Val. MAP@R</th><th").append(span).append(">Runs</th><th").append(span)
                .append(">Hyperparameters</th>");
        if (concat) {
            h.append("</tr>\n<tr>");
            for (int i = 0; i < MAIN.length; i++) {
                h.append("<th>sep.</th><th>concat.</th>");
            }
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (LeaderboardEntry e : board.getEntriesList()) {
            row(h, e, List.of(MAIN), concat);
            h.append("<td>").append(esc(cell(e.hasValidationMapAtR() ? e.getValidationMapAtR() : null)))
                    .append("</td><td class=\"runs\">").append(esc(LeaderboardCells.runs(e))).append("</td><td class=\"hp\">")
                    .append(esc(LeaderboardCells.hyperparameters(e))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        List<String> recall = LeaderboardCells.metricColumns(board).subList(MAIN.length, LeaderboardCells.metricColumns(board).size());
        if (!recall.isEmpty()) {
            h.append("<table id=\"recall\">\n<caption>Recall@K on the " + classes + " classes</caption>\n<thead><tr><th>#</th><th>Loss</th>");
            for (String c : recall) {
                h.append(concat ? "<th>" + esc(LeaderboardCells.title(c)) + " sep.</th><th>"
                        + esc(LeaderboardCells.title(c)) + " concat.</th>" : "<th>" + esc(LeaderboardCells.title(c)) + "</th>");
            }
            h.append("</tr></thead>\n<tbody>\n");
            for (LeaderboardEntry e : board.getEntriesList()) {
                row(h, e, recall, concat);
                h.append("</tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        return h.toString();
    }

    private static void row(StringBuilder h, LeaderboardEntry e, List<String> columns, boolean concat) {
        boolean pending = !e.getBaseline() && e.getRunsEvaluated() < e.getRunsTotal();
        h.append("<tr class=\"").append(e.getBaseline() ? "baseline" : pending ? "loss pending" : "loss")
                .append("\" data-loss=\"").append(esc(e.getLossName())).append("\"><td>").append(e.getRank())
                .append("</td><td class=\"name\">").append(esc(LeaderboardCells.rowName(e))).append("</td>");
        for (String c : columns) {
            h.append("<td>").append(esc(cell(e.getMetricsMap().get(c)))).append("</td>");
            if (concat) {
                h.append("<td>").append(esc(cell(e.getConcatenatedMetricsMap().get(c)))).append("</td>");
            }
        }
    }

    private static String cell(MetricSummary s) {
        return LeaderboardCells.cell(s, "–");
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** {@code s} with the five HTML special characters escaped, for text and attribute values. */
    public static String esc(String s) {
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
