package dev.realitycheck.cli;

import dev.realitycheck.formats.LeaderboardCells;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Leaderboard} as the paper's table in Markdown: one row per loss and baseline; columns
 * P@1, R-Precision, MAP@R and every Recall@K, each "separated" and (only when the experiment runs
 * more than one fold) "concatenated", as percent mean ± 95% CI half-width over the seeds; then
 * validation MAP@R, runs (pending ones said) and the chosen hyperparameters. The HTML rendering is
 * {@link dev.realitycheck.formats.LeaderboardHtmlTables}, shared with the service's live page.
 */
final class LeaderboardTable {

    private LeaderboardTable() {
    }

    /** {@link LeaderboardCells#cell}, "–" when absent. */
    static String cell(MetricSummary s) {
        return LeaderboardCells.cell(s, "–");
    }

    private static List<String> header(List<String> columns, boolean concat) {
        List<String> h = new ArrayList<>(List.of("#", "Loss"));
        for (String c : columns) {
            h.add(LeaderboardCells.title(c) + (concat ? " sep." : ""));
            if (concat) {
                h.add(LeaderboardCells.title(c) + " concat.");
            }
        }
        h.addAll(List.of("Val. MAP@R", "Runs", "Hyperparameters"));
        return h;
    }

    private static List<List<String>> rows(Leaderboard board, List<String> columns, boolean concat) {
        List<List<String>> rows = new ArrayList<>();
        for (LeaderboardEntry e : board.getEntriesList()) {
            List<String> r = new ArrayList<>(List.of(Integer.toString(e.getRank()), LeaderboardCells.rowName(e)));
            for (String c : columns) {
                r.add(cell(e.getMetricsMap().get(c)));
                if (concat) {
                    r.add(cell(e.getConcatenatedMetricsMap().get(c)));
                }
            }
            r.add(cell(e.hasValidationMapAtR() ? e.getValidationMapAtR() : null));
            r.add(LeaderboardCells.runs(e));
            r.add(LeaderboardCells.hyperparameters(e));
            rows.add(r);
        }
        return rows;
    }

    static String markdown(Leaderboard board) {
        List<String> columns = LeaderboardCells.metricColumns(board);
        boolean concat = LeaderboardCells.showConcatenated(board);
        StringBuilder md = new StringBuilder();
        List<String> header = header(columns, concat);
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            md.append(i < 2 || i >= header.size() - 2 ? " --- |" : " ---: |");
        }
        md.append('\n');
        for (List<String> r : rows(board, columns, concat)) {
            md.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        }
        return md.toString();
    }
}
