package dev.realitycheck.cli;

import dev.realitycheck.formats.LeaderboardCells;
import dev.realitycheck.formats.LeaderboardHtmlTables;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.ListEvaluationsRequest;
import dev.realitycheck.proto.v1.ListEvaluationsResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck report EXPERIMENT}: fetches the experiment's leaderboard and evaluations from
 * the evaluation service over gRPC, prints the paper-shaped table (Markdown, mean ± 95% CI) and
 * writes {@code report.md}, {@code report.html} and two PNG plots (MAP@R per loss with CI bars;
 * validation MAP@R against iteration per run) into {@code --out}; the paths come last.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Leaderboard of an experiment as Markdown and HTML with plots.")
public class ReportCommand implements Callable<Integer> {

    /** Files written into the output directory. */
    static final String MARKDOWN = "report.md";
    static final String HTML = "report.html";
    static final String BARS = "map_at_r.png";
    static final String CURVES = "validation_map_at_r.png";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "the experiment id")
    String experiment;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "the evaluation service (plaintext gRPC; default: the local stack's, else localhost:8083)")
    String server;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: report-EXPERIMENT)")
    Path out;

    @Option(names = "--metric", paramLabel = "NAME", defaultValue = "mean_average_precision_at_r",
            description = "metric to rank by: mean_average_precision_at_r, r_precision, precision_at_1, recall_at_k/K "
                    + "(default: ${DEFAULT-VALUE})")
    String metric;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "deadline of each call (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            ManagedChannel channel = EmbeddingClient.channel(server());
            Leaderboard board;
            List<EvaluationResult> evaluations = new ArrayList<>();
            try {
                EvaluationServiceGrpc.EvaluationServiceBlockingStub stub = EvaluationServiceGrpc.newBlockingStub(channel);
                board = stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS).getLeaderboard(GetLeaderboardRequest
                        .newBuilder().setExperimentId(experiment).setMetric(metric).build());
                String token = "";
                do {
                    ListEvaluationsResponse page = stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS).listEvaluations(
                            ListEvaluationsRequest.newBuilder().setExperimentId(experiment).setPageSize(1000)
                                    .setPageToken(token).build());
                    evaluations.addAll(page.getEvaluationsList());
                    token = page.getNextPageToken();
                } while (!token.isEmpty());
            } finally {
                channel.shutdownNow();
            }
            Path dir = out != null ? out : Path.of("report-" + experiment.replaceAll("[^A-Za-z0-9._-]", "_"));
            Files.createDirectories(dir);
            String table = LeaderboardTable.markdown(board);
            stdout.println(progress(board) + ".");
            stdout.print(table);
            Path md = dir.resolve(MARKDOWN);
            Path html = dir.resolve(HTML);
            Path bars = dir.resolve(BARS);
            Path curves = dir.resolve(CURVES);
            ReportCharts.mapAtRBars(board, bars);
            ReportCharts.validationCurves(board, evaluations, curves);
            Files.writeString(md, markdown(board, table, evaluations.size()), StandardCharsets.UTF_8);
            Files.writeString(html, html(board, evaluations.size()), StandardCharsets.UTF_8);
            stdout.println();
            for (Path p : List.of(md, html, bars, curves)) {
                stdout.println("wrote " + p.toAbsolutePath());
            }
            stdout.flush();
            return 0;
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck report: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("realitycheck report: " + EmbeddingClient.describe(e, server()));
            return 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("realitycheck report: cannot write the report: " + e.getMessage());
            return 1;
        }
    }

    /** "1 of 4 runs evaluated, 3 pending", capitalised: said first, so a report taken mid-experiment says so. */
    private static String progress(Leaderboard board) {
        String p = LeaderboardCells.progress(board).toString();
        return Character.toUpperCase(p.charAt(0)) + p.substring(1);
    }

    private static String explanation(Leaderboard board, int evaluations) {
        boolean concat = LeaderboardCells.showConcatenated(board);
        return "Experiment `" + board.getExperimentId() + "`, " + evaluations + " evaluations, generated "
                + Instant.now() + ". Test-class values in percent: mean ± 95% confidence interval (Student t, n-1) "
                + "over the seeds. " + (concat ? "*sep.*: each fold's model alone" : "Each run's model")
                + " (checkpoint chosen by best validation MAP@R)" + (concat ? ", averaged over the folds; *concat.*: the "
                + "fold models' embeddings, L2-normalised per model, concatenated" : "; one fold ran, so there is nothing "
                + "to concatenate") + ". Baselines are references on the folds the experiment runs. Rows ranked by "
                + LeaderboardCells.title(board.getMetric())
                + (board.getRankedByConcatenated() ? " (concatenated)" : " (separated)") + ".";
    }

    private static String markdown(Leaderboard board, String table, int evaluations) {
        return "# Leaderboard of experiment " + board.getExperimentId() + "\n\n**" + progress(board) + ".** "
                + explanation(board, evaluations) + "\n\n" + table + "\n![MAP@R per loss](" + BARS
                + ")\n\n![Validation MAP@R per run](" + CURVES + ")\n";
    }

    private static String html(Leaderboard board, int evaluations) {
        String id = LeaderboardHtmlTables.esc(board.getExperimentId());
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Leaderboard " + id + "</title>\n"
                + "<style>" + LeaderboardHtmlTables.CSS + "img{max-width:100%}</style></head><body>\n"
                + "<h1>Leaderboard of experiment " + id + "</h1>\n<p>"
                + LeaderboardHtmlTables.esc(explanation(board, evaluations)).replace("`", "").replace("*", "") + "</p>\n"
                + LeaderboardHtmlTables.tables(board) + "<p><img src=\"" + BARS + "\" alt=\"MAP@R per loss\"></p>\n<p><img src=\""
                + CURVES + "\" alt=\"Validation MAP@R per run\"></p>\n</body></html>\n";
    }

    /** {@code --server}, else the local stack's evaluation service ({@link StackAddresses}). */
    private String server() {
        if (server == null) {
            server = StackAddresses.current().evaluation();
        }
        return server;
    }
}
