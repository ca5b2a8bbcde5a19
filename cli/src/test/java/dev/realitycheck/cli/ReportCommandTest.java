package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.ExperimentState;
import dev.realitycheck.proto.v1.ExperimentSummary;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.ListEvaluationsRequest;
import dev.realitycheck.proto.v1.ListEvaluationsResponse;
import dev.realitycheck.proto.v1.ListExperimentsRequest;
import dev.realitycheck.proto.v1.ListExperimentsResponse;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.stats.Summary;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code realitycheck report} against a real gRPC server on a TCP port that serves a small
 * experiment's leaderboard (summaries from the library's {@link Summary}, as the evaluation service
 * computes them) and its evaluations: the table, the CI values (recomputed here from the
 * definition), report.md/report.html and PNG plots that decode.
 */
@QuarkusMainTest
class ReportCommandTest {

    /** Test MAP@R of the triplet loss per seed (3 reproductions) and of the contrastive loss. */
    static final double[] TRIPLET = {0.301, 0.352, 0.327};
    static final double[] CONTRASTIVE = {0.280, 0.290, 0.310};
    static final double[] TRIPLET_CONCAT = {0.361, 0.372, 0.355};

    static Server server;
    static final List<EvaluationResult> EVALUATIONS = new ArrayList<>();

    private static MetricSummary summary(double... v) {
        Summary s = Summary.of(v).orElseThrow();
        MetricSummary.Builder b = MetricSummary.newBuilder().setMean(s.mean()).setN(s.n());
        s.ci95HalfWidth().ifPresent(b::setCi95HalfWidth);
        s.stddev().ifPresent(b::setStddev);
        return b.build();
    }

    private static double[] plus(double[] v, double d) {
        return java.util.Arrays.stream(v).map(x -> x + d).toArray();
    }

    private static LeaderboardEntry entry(int rank, String loss, double[] map, double[] concat, LossConfig config) {
        LeaderboardEntry.Builder e = LeaderboardEntry.newBuilder().setRank(rank).setLossName(loss)
                .setValue(summary(map))
                .putMetrics("mean_average_precision_at_r", summary(map))
                .putMetrics("r_precision", summary(plus(map, 0.05)))
                .putMetrics("precision_at_1", summary(plus(map, 0.4)))
                .putMetrics("recall_at_k/1", summary(plus(map, 0.4)))
                .setValidationMapAtR(summary(plus(map, 0.1)))
                .setRunsEvaluated(map.length * 2).setRunsTotal(map.length * 2);
        if (concat != null) {
            e.setConcatenatedValue(summary(concat)).putConcatenatedMetrics("mean_average_precision_at_r", summary(concat));
        }
        if (config != null) {
            e.setLoss(config);
        } else {
            e.setBaseline(true);
        }
        return e.build();
    }

    /**
     * Two folds; triplet complete (its chosen checkpoints named), contrastive with one run pending,
     * the raw-pixel baseline on fold 0 only.
     */
    static final Leaderboard BOARD = Leaderboard.newBuilder().setExperimentId("exp-r")
            .setMetric("mean_average_precision_at_r").setSplit(Split.SPLIT_TEST)
            .addEntries(entry(1, "triplet", TRIPLET, TRIPLET_CONCAT, LossConfig.newBuilder().setName("triplet")
                    .setLoss("triplet_margin").putHyperparameters("margin", 0.0573).build()).toBuilder()
                    .addAllFolds(List.of(0, 1)).addAllCheckpointIds(List.of("trip-s0@300", "trip-s1@400", "trip-s2@400")))
            .addEntries(entry(2, "contrastive", CONTRASTIVE, null, LossConfig.newBuilder().setName("contrastive")
                    .setLoss("contrastive").putHyperparameters("neg_margin", 0.5).build()).toBuilder()
                    .addAllFolds(List.of(0, 1)).setRunsTotal(7))
            .addEntries(entry(3, "raw-pixels", new double[] {0.21}, null, null).toBuilder().setRunsEvaluated(1)
                    .setRunsTotal(1).addFolds(0))
            .build();

    static final List<ExperimentSummary> EXPERIMENTS = List.of(
            ExperimentSummary.newBuilder().setExperimentId("exp-new").setName("quick-glyphs")
                    .setState(ExperimentState.EXPERIMENT_STATE_QUEUED).setRunsTotal(4).build(),
            ExperimentSummary.newBuilder().setExperimentId("exp-r").setName("demo")
                    .setState(ExperimentState.EXPERIMENT_STATE_EVALUATING).setRunsTotal(13).setRunsTrained(13)
                    .setRunsEvaluated(12).setBestMapAtR(0.32666).setBestLoss("triplet").build());

    @BeforeAll
    static void serve() throws Exception {
        for (int seed = 0; seed < 3; seed++) {
            for (int iteration = 100; iteration <= 400; iteration += 100) {
                String checkpoint = "trip-s" + seed + "@" + iteration;
                EVALUATIONS.add(EvaluationResult.newBuilder().setEvaluationId(checkpoint + "/validation")
                        .setCheckpointId(checkpoint).setRunId("trip-s" + seed).setExperimentId("exp-r").setLossName("triplet")
                        .setSeed(seed).setIteration(iteration).setSplit(Split.SPLIT_VALIDATION)
                        .setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(0.1 + iteration / 1000.0 + seed / 100.0))
                        .build());
            }
        }
        server = ServerBuilder.forPort(0).addService(new EvaluationServiceGrpc.EvaluationServiceImplBase() {
            @Override
            public void getLeaderboard(GetLeaderboardRequest request, StreamObserver<Leaderboard> response) {
                if (!request.getExperimentId().equals("exp-r")) {
                    response.onError(io.grpc.Status.NOT_FOUND.withDescription("no evaluations of experiment '"
                            + request.getExperimentId() + "'").asRuntimeException());
                    return;
                }
                response.onNext(BOARD);
                response.onCompleted();
            }

            @Override
            public void listExperiments(ListExperimentsRequest request, StreamObserver<ListExperimentsResponse> response) {
                response.onNext(ListExperimentsResponse.newBuilder().addAllExperiments(EXPERIMENTS).build());
                response.onCompleted();
            }

            @Override
            public void listEvaluations(ListEvaluationsRequest request, StreamObserver<ListEvaluationsResponse> response) {
                // two pages, so the command must follow next_page_token
                boolean first = request.getPageToken().isEmpty();
                List<EvaluationResult> page = first ? EVALUATIONS.subList(0, 5) : EVALUATIONS.subList(5, EVALUATIONS.size());
                response.onNext(ListEvaluationsResponse.newBuilder().addAllEvaluations(page)
                        .setNextPageToken(first ? "5" : "").build());
                response.onCompleted();
            }
        }).build().start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** "mean ± half-width" in percent, the half-width computed from its definition. */
    private static String expectedCell(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double half = new TDistribution(v.length - 1).inverseCumulativeProbability(0.975) * Math.sqrt(ss / (v.length - 1))
                / Math.sqrt(v.length);
        return String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * half);
    }

    @Test
    void printsThePaperShapedTableAndWritesMarkdownHtmlAndPlots(QuarkusMainLauncher launcher) throws Exception {
        Path out = Files.createTempDirectory("report");

        LaunchResult result = launcher.launch("report", "exp-r", "--server", "127.0.0.1:" + server.getPort(),
                "--out", out.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        String stdout = result.getOutput();
        assertThat(stdout).contains("| # | Loss | P@1 sep. | P@1 concat. | R-Precision sep.", "MAP@R concat.", "R@1 sep.",
                "Hyperparameters |");
        String tripletRow = stdout.lines().filter(l -> l.startsWith("| 1 | triplet |")).findFirst().orElseThrow();
        assertThat(tripletRow).contains(expectedCell(TRIPLET), expectedCell(TRIPLET_CONCAT),
                "triplet_margin, margin=0.05730", "| 6/6 |");
        assertThat(stdout.lines().filter(l -> l.startsWith("| 2 | contrastive |")).findFirst().orElseThrow())
                .contains(expectedCell(CONTRASTIVE), "neg_margin=0.5000", "| 6/7, 1 pending |");
        assertThat(stdout).contains("| 3 | raw-pixels (baseline) | 61.00 | – |", "| fold 0 |");
        assertThat(stdout.lines().findFirst().orElseThrow()).isEqualTo("12 of 13 runs evaluated, 1 pending.");

        Path md = out.resolve("report.md");
        Path html = out.resolve("report.html");
        Path bars = out.resolve("map_at_r.png");
        Path curves = out.resolve("validation_map_at_r.png");
        assertThat(stdout).contains("wrote " + md.toAbsolutePath(), "wrote " + html.toAbsolutePath(),
                "wrote " + bars.toAbsolutePath(), "wrote " + curves.toAbsolutePath());
        assertThat(Files.readString(md)).contains(tripletRow, "![MAP@R per loss](map_at_r.png)");
        assertThat(Files.readString(md)).contains("**12 of 13 runs evaluated, 1 pending.**");
        assertThat(Files.readString(html)).contains("<td>" + expectedCell(TRIPLET) + "</td>", "<img src=\"map_at_r.png\"",
                "<tr class=\"baseline\" data-loss=\"raw-pixels\">", "<td class=\"name\">raw-pixels (baseline)</td>",
                "<tr class=\"loss pending\" data-loss=\"contrastive\">", "<td class=\"runs\">6/7, 1 pending</td>",
                "12 of 13 runs evaluated, 1 pending.", "<th>sep.</th><th>concat.</th>");
        BufferedImage barImage = ImageIO.read(bars.toFile());
        assertThat(count(barImage, ReportCharts.BASELINE)).as("grey baseline bar").isGreaterThan(1000);
        assertThat(count(barImage, ReportCharts.PALETTE.get(0))).as("blue separated bars").isGreaterThan(1000);
        assertThat(count(barImage, ReportCharts.PALETTE.get(4))).as("orange concatenated bar").isGreaterThan(100);
        BufferedImage curveImage = ImageIO.read(curves.toFile());
        assertThat(count(curveImage, ReportCharts.PALETTE.get(0))).as("the triplet runs' blue").isGreaterThan(100);
        for (BufferedImage image : List.of(barImage, curveImage)) {
            assertThat(count(image, new Color(0xFF5555))).as("JFreeChart's default red").isZero();
            assertThat(count(image, new Color(0xF0E442))).as("yellow on white").isZero();
            assertThat(count(image, new Color(0xFFFF55))).as("JFreeChart's default yellow").isZero();
        }
        for (Path png : List.of(bars, curves)) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(png.toString()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(1000);
            assertThat(image.getHeight()).isEqualTo(600);
        }
    }

    private static int count(BufferedImage image, Color colour) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += (image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF) ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void oneFoldHasNoConcatenatedColumnsAndAnAllPendingRowSaysSo() {
        Leaderboard oneFold = Leaderboard.newBuilder().setExperimentId("exp-1").setMetric("mean_average_precision_at_r")
                .addEntries(entry(1, "ms", CONTRASTIVE, null, LossConfig.newBuilder().setName("ms").build()).toBuilder()
                        .addFolds(0))
                .addEntries(LeaderboardEntry.newBuilder().setRank(2).setLossName("contrastive").setRunsTotal(2).addFolds(0)
                        .setLoss(LossConfig.newBuilder().setName("contrastive")))
                .build();

        String md = LeaderboardTable.markdown(oneFold);

        assertThat(md).doesNotContain("concat.").contains("| # | Loss | P@1 | R-Precision | MAP@R | R@1 | Val. MAP@R | Runs |",
                "| 2 | contrastive | – | – | – | – | – | 0/2, 2 pending |");
        assertThat(dev.realitycheck.formats.LeaderboardHtmlTables.tables(oneFold)).doesNotContain("concat.")
                .contains("6 of 8 runs evaluated, 2 pending.");
    }

    @Test
    void experimentsPrintsTheServicesListNewestFirst(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("experiments", "--server", "127.0.0.1:" + server.getPort());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        List<String> lines = result.getOutput().lines().toList();
        assertThat(lines.get(0)).startsWith("EXPERIMENT").contains("NAME", "STATE", "RUNS", "BEST TEST MAP@R");
        assertThat(lines.get(1)).startsWith("exp-new").contains("quick-glyphs", "queued", "0/4 trained, 0/4 evaluated")
                .endsWith("–");
        assertThat(lines.get(2)).startsWith("exp-r").contains("demo", "evaluating", "13/13 trained, 12/13 evaluated",
                "32.67 (triplet)");
        assertThat(lines.get(3)).isEqualTo("2 experiments");
        assertThat(lines.get(1).indexOf("queued")).isEqualTo(lines.get(2).indexOf("evaluating")); // aligned columns
    }

    @Test
    void anUnknownExperimentIsTheServersNotFound(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch("report", "nope", "--server", "127.0.0.1:" + server.getPort(),
                "--out", Files.createTempDirectory("report").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("NOT_FOUND", "nope");
    }

    @Test
    void aMalformedServerIsAnInputError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("report", "exp-r", "--server", "no-port");

        assertThat(result.exitCode()).isEqualTo(InputException.EXIT_CODE);
        assertThat(result.getErrorOutput()).contains("--server must be HOST:PORT");
    }
}
