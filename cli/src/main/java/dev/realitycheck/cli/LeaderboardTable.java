package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.formats.LeaderboardCells;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Leaderboard} as the paper's table, in Markdown and in HTML: one row per loss and
 * baseline; columns P@1, R-Precision, MAP@R and every Recall@K, each "separated" and
 * "concatenated", as percent mean ± 95% CI half-width over the seeds; then validation MAP@R, runs
 * and the chosen hyperparameters.
 */
final class LeaderboardTable {

    private LeaderboardTable() {
    }

    static List<String> metricColumns(Leaderboard board) {
        return LeaderboardCells.metricColumns(board);
    }

    static String title(String metric) {
        return LeaderboardCells.title(metric);
    }

    /** {@link LeaderboardCells#cell}, "–" when absent. */
    static String cell(MetricSummary s) {
        return LeaderboardCells.cell(s, "–");
    }

    static String rowName(LeaderboardEntry e) {
        return LeaderboardCells.rowName(e);
    }

    static String hyperparameters(LeaderboardEntry e) {
        return LeaderboardCells.hyperparameters(e);
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
