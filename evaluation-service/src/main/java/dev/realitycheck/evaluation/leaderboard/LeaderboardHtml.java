package dev.realitycheck.evaluation.leaderboard;

import dev.realitycheck.formats.ExperimentCells;
import dev.realitycheck.formats.LeaderboardCells;
import dev.realitycheck.formats.LeaderboardHtmlTables;
import dev.realitycheck.proto.v1.ExperimentRun;
import dev.realitycheck.proto.v1.ExperimentState;
import dev.realitycheck.proto.v1.ExperimentSummary;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.Split;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The service's HTML pages. The home page ({@code /}) lists the experiments ({@link ExperimentList})
 * with state, runs trained and evaluated, best test MAP@R so far, each linking to its leaderboard
 * page. An experiment's page is its leaderboard, rendered by {@link LeaderboardHtmlTables} (the
 * table the command line's report shows too), then its runs' progress; before its first evaluation
 * it says it is waiting for it. Pages reload themselves when the service announces a new
 * evaluation of the experiment (Server-Sent Events from {@code /leaderboard/<id>/events}), and
 * every 10 s while runs are training; without JavaScript a meta refresh every 15 s.
 */
public final class LeaderboardHtml {

    /** What an accepted experiment without any evaluation says. */
    static final String WAITING = "Waiting for the first evaluation";

    private LeaderboardHtml() {
    }

    /** The path of an experiment's page. */
    static String path(String experimentId) {
        return "/leaderboard/" + URLEncoder.encode(experimentId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String page(String experimentId, Leaderboard board, String eventsPath, Optional<ExperimentSummary> summary) {
        StringBuilder h = new StringBuilder();
        head(h, "Leaderboard of experiment " + experimentId, eventsPath, training(summary));
        summaryLine(h, summary);
        h.append("<p>Metric ranked: ").append(esc(LeaderboardCells.title(board.getMetric()))).append(board.getRankedByConcatenated()
                        ? " (concatenated)" : " (separated)").append("; split: ")
                .append(board.getSplit() == Split.SPLIT_VALIDATION ? "validation" : "test")
                .append(". Values in percent, mean ± 95% confidence interval (Student t, n-1) over the seeds. "
                        + "Checkpoints chosen by validation MAP@R only. Baselines (grey) are references on the folds "
                        + "the experiment runs.</p>\n");
        h.append(LeaderboardHtmlTables.tables(board));
        summary.ifPresent(s -> runs(h, s));
        return h.append("</body></html>\n").toString();
    }

    /** An accepted experiment without evaluations: 200, the wait said, the runs' progress shown. */
    static String waiting(String experimentId, String eventsPath, ExperimentSummary summary) {
        StringBuilder h = new StringBuilder();
        head(h, "Leaderboard of experiment " + experimentId, eventsPath, true);
        summaryLine(h, Optional.of(summary));
        h.append("<p class=\"empty\">").append(WAITING).append("; this page fills in as evaluations arrive.</p>\n");
        runs(h, summary);
        return h.append("</body></html>\n").toString();
    }

    static String notFound(String experimentId, String message, String eventsPath) {
        StringBuilder h = new StringBuilder();
        head(h, "Leaderboard of experiment " + experimentId, eventsPath, false);
        return h.append("<p class=\"empty\">").append(esc(message)).append("; this page fills in as evaluations arrive.</p>\n")
                .append("<p><a href=\"/\">All experiments</a></p>\n</body></html>\n").toString();
    }

    /** The home page: every experiment, newest first. */
    static String home(List<ExperimentSummary> experiments) {
        StringBuilder h = new StringBuilder();
        head(h, "Experiments", null, experiments.stream().anyMatch(s -> s.getState() != ExperimentState.EXPERIMENT_STATE_DONE));
        if (experiments.isEmpty()) {
            h.append("<p class=\"empty\">No experiment yet: submit one with <code>realitycheck train --spec FILE</code>.</p>\n");
            return h.append("</body></html>\n").toString();
        }
        h.append("<table id=\"experiments\">\n<thead><tr><th>Experiment</th><th>Name</th><th>State</th><th>Runs</th>"
                + "<th>Best test MAP@R so far</th></tr></thead>\n<tbody>\n");
        for (ExperimentSummary s : experiments) {
            h.append("<tr data-experiment=\"").append(esc(s.getExperimentId())).append("\"><td class=\"name\"><a href=\"")
                    .append(esc(path(s.getExperimentId()))).append("\">").append(esc(s.getExperimentId()))
                    .append("</a></td><td class=\"name\">").append(esc(s.getName())).append("</td><td class=\"name\">")
                    .append(ExperimentCells.state(s.getState())).append("</td><td>").append(esc(ExperimentCells.runs(s)))
                    .append("</td><td>").append(esc(ExperimentCells.best(s))).append("</td></tr>\n");
        }
        return h.append("</tbody></table>\n</body></html>\n").toString();
    }

    private static boolean training(Optional<ExperimentSummary> summary) {
        return summary.map(s -> s.getState() != ExperimentState.EXPERIMENT_STATE_DONE).orElse(false);
    }

    private static void summaryLine(StringBuilder h, Optional<ExperimentSummary> summary) {
        h.append("<p><a href=\"/\">All experiments</a>");
        summary.ifPresent(s -> h.append(" · ").append(s.getName().isEmpty() ? "" : esc(s.getName()) + " · ")
                .append(ExperimentCells.state(s.getState())).append(" · ").append(esc(ExperimentCells.runs(s))));
        h.append("</p>\n");
    }

    /** The runs' progress: state, a bar of iterations trained, whether the chosen checkpoint is evaluated. */
    private static void runs(StringBuilder h, ExperimentSummary s) {
        if (s.getRunsCount() == 0) {
            return;
        }
        h.append("<h2>Runs</h2>\n<table id=\"runs\">\n<thead><tr><th>Run</th><th>Loss</th><th>Fold</th><th>Seed</th>"
                + "<th>State</th><th>Training</th><th>Evaluated</th></tr></thead>\n<tbody>\n");
        for (ExperimentRun r : s.getRunsList()) {
            int percent = ExperimentCells.percent(r);
            h.append("<tr data-run=\"").append(esc(r.getRunId())).append("\"><td class=\"name\">").append(esc(r.getRunId()))
                    .append("</td><td class=\"name\">").append(esc(r.getLossName()))
                    .append(r.hasTrial() ? " (trial " + r.getTrial() + ")" : "").append("</td><td>").append(r.getFold())
                    .append("</td><td>").append(r.getSeed()).append("</td><td class=\"name\">")
                    .append(ExperimentCells.state(r.getState())).append("</td><td><progress max=\"100\" value=\"")
                    .append(percent).append("\"></progress> ").append(r.getIteration()).append('/').append(r.getIterations())
                    .append("</td><td>").append(r.getEvaluated() ? "yes" : "pending").append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void head(StringBuilder h, String title, String eventsPath, boolean live) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<noscript><meta http-equiv=\"refresh\" content=\"15\"></noscript>\n<style>")
                .append(LeaderboardHtmlTables.CSS).append("</style>\n<script>(function(){var t=null;");
        if (eventsPath != null) {
            h.append("var es=new EventSource('").append(esc(eventsPath))
                    .append("');es.addEventListener('evaluation',function(){if(!t){t=setTimeout(function(){"
                            + "location.reload();},2000);}});");
        }
        if (live) {
            h.append("setTimeout(function(){location.reload();},10000);");
        }
        h.append("})();</script>\n</head><body>\n<h1>").append(esc(title)).append("</h1>\n");
    }

    static String esc(String s) {
        return LeaderboardHtmlTables.esc(s);
    }
}
