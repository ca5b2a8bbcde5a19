package dev.realitycheck.evaluation.leaderboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.google.protobuf.util.JsonFormat;
import dev.realitycheck.evaluation.experiments.ExperimentCatalog;
import dev.realitycheck.evaluation.results.EvaluationStore;
import dev.realitycheck.evaluation.scoring.EvaluationIds;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.ExperimentState;
import dev.realitycheck.proto.v1.ExperimentSummary;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.ListExperimentsRequest;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.proto.v1.TrainingSettings;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live leaderboard page over real HTTP: HTML table, JSON, bad parameters, the SSE stream it
 * reloads on; baselines only on the folds run; the home page and ListExperiments; an accepted
 * experiment without evaluations waiting, not missing.
 */
@QuarkusTest
class LeaderboardPageTest {

    private static final String EXPERIMENT = "page-exp";
    private static final double[] TRIPLET_TEST = {0.30, 0.36, 0.33};

    @Inject
    EvaluationStore store;

    @Inject
    ExperimentCatalog catalog;

    @TestHTTPResource
    URL server;

    private static EvaluationResult result(String run, String loss, long seed, Split split, double map) {
        String checkpoint = run + "@10";
        return EvaluationResult.newBuilder().setEvaluationId(EvaluationIds.of(checkpoint, split)).setCheckpointId(checkpoint)
                .setRunId(run).setExperimentId(EXPERIMENT).setLossName(loss).setSeed(seed).setFoldCount(1).setIteration(10)
                .setSplit(split).setLoss(LossConfig.newBuilder().setName(loss).setLoss("triplet_margin")
                        .putHyperparameters("margin", 0.0573))
                .setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(map).setRPrecision(map + 0.05)
                        .setPrecisionAt1(map + 0.4).putRecallAtK(1, map + 0.4).putRecallAtK(4, map + 0.5))
                .build();
    }

    @BeforeEach
    void results() {
        for (int seed = 0; seed < 3; seed++) {
            store.add(result("trip-" + seed, "triplet", seed, Split.SPLIT_VALIDATION, 0.5));
            store.add(result("trip-" + seed, "triplet", seed, Split.SPLIT_TEST, TRIPLET_TEST[seed]));
        }
        store.add(result("baseline:raw-pixels:x:k1:f0", "raw-pixels", 0, Split.SPLIT_VALIDATION, 0.2).toBuilder()
                .setBaseline(true).clearExperimentId().clearLoss().build());
        store.add(result("baseline:raw-pixels:x:k1:f0", "raw-pixels", 0, Split.SPLIT_TEST, 0.25).toBuilder()
                .setBaseline(true).clearExperimentId().clearLoss().build());
        // a fold the experiment does not run: never averaged into its baseline row
        store.add(result("baseline:raw-pixels:x:k1:f1", "raw-pixels", 0, Split.SPLIT_VALIDATION, 0.9).toBuilder()
                .setBaseline(true).setFold(1).clearExperimentId().clearLoss().build());
        store.add(result("baseline:raw-pixels:x:k1:f1", "raw-pixels", 0, Split.SPLIT_TEST, 0.95).toBuilder()
                .setBaseline(true).setFold(1).clearExperimentId().clearLoss().build());
        for (int seed = 0; seed < 2; seed++) {
            store.add(result("home-" + seed, "ms", seed, Split.SPLIT_VALIDATION, 0.6).toBuilder().setExperimentId(HOME)
                    .setDataset(HOME_DATA).setEvaluationId("home-" + seed + "/validation").build());
            store.add(result("home-" + seed, "ms", seed, Split.SPLIT_TEST, 0.40 + seed / 10.0).toBuilder().setExperimentId(HOME)
                    .setDataset(HOME_DATA).setEvaluationId("home-" + seed + "/test").build());
        }
        catalog.apply(ExperimentRecord.newBuilder().setExperimentId(WAITING)
                .setSpec(ExperimentSpec.newBuilder().setName("waiting-spec").setDataset(DatasetSpec.newBuilder().setName("x")))
                .setCreatedAt(Timestamp.newBuilder().setSeconds(2_000_000_000L)).build());
        for (int seed = 0; seed < 2; seed++) {
            catalog.apply(RunEvent.newBuilder().setSpec(RunSpec.newBuilder().setRunId(WAITING + ".ms.fold0.seed" + seed)
                            .setExperimentId(WAITING).setDataset(DatasetSpec.newBuilder().setName("x")).setFoldCount(1)
                            .setSeed(seed).setLoss(LossConfig.newBuilder().setName("ms").setLoss("multi_similarity"))
                            .setSettings(TrainingSettings.newBuilder().setIterations(600)))
                    .setState(seed == 0 ? RunState.RUN_STATE_RUNNING : RunState.RUN_STATE_QUEUED)
                    .setIteration(seed == 0 ? 150 : 0).build());
        }
    }

    private static final String WAITING = "waiting-exp";
    private static final String HOME = "home-exp";
    /** The home experiment's own dataset: its baselines are published by the test that needs them. */
    private static final DatasetSpec HOME_DATA = DatasetSpec.newBuilder().setName("home-data").build();

    @Test
    void baselinesAreOnlyTheFoldsTheExperimentRunsAndSayWhichFold() throws Exception {
        String json = given().when().get("/leaderboard/" + EXPERIMENT + ".json").then().statusCode(200).extract().asString();
        Leaderboard.Builder board = Leaderboard.newBuilder();
        JsonFormat.parser().merge(json, board);
        var baseline = board.getEntriesList().stream().filter(e -> e.getBaseline()).findFirst().orElseThrow();
        assertThat(baseline.getValue().getMean()).isEqualTo(0.25); // fold 0 alone, not (0.25 + 0.95) / 2
        assertThat(baseline.getFoldsList()).containsExactly(0);

        String html = given().when().get("/leaderboard/" + EXPERIMENT).then().statusCode(200).extract().asString();
        assertThat(html).contains("<td class=\"runs\">fold 0</td>", "<p class=\"progress\">");
        assertThat(html).doesNotContain("concat."); // one fold ran: nothing to concatenate
    }

    @Test
    void anAcceptedExperimentWithoutEvaluationsIsWaitingWithItsRunsProgressAndAnUnknownOneStays404() {
        String html = given().when().get("/leaderboard/" + WAITING)
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();

        assertThat(html).contains("Waiting for the first evaluation", "waiting-spec", "training",
                "0/2 trained, 0/2 evaluated", "data-run=\"waiting-exp.ms.fold0.seed0\"", "<progress max=\"100\" value=\"25\">",
                "150/600", "running", "queued", "pending");
        given().when().get("/leaderboard/never-submitted").then().statusCode(404);
    }

    @Test
    void theHomePageAndListExperimentsListEveryExperimentWithStateRunsAndBestMapAtR() throws Exception {
        // every run evaluated, but the baselines of its fold not published yet: still evaluating
        String before = given().when().get("/").then().statusCode(200).extract().asString();
        assertThat(before.lines().filter(l -> l.contains("data-experiment=\"" + HOME + "\"")).findFirst().orElseThrow())
                .contains("evaluating").doesNotContain("done");
        String json = given().when().get("/leaderboard/" + HOME + ".json").then().statusCode(200).extract().asString();
        Leaderboard.Builder pendingBoard = Leaderboard.newBuilder();
        JsonFormat.parser().merge(json, pendingBoard);
        assertThat(pendingBoard.getBaselinesPending()).isEqualTo(4); // 2 baselines x fold 0 x 2 splits
        assertThat(given().when().get("/leaderboard/" + HOME).then().statusCode(200).extract().asString())
                .contains("4 baseline evaluations pending");
        for (String baseline : List.of("raw-pixels", "untrained-mlp")) {
            for (Split split : List.of(Split.SPLIT_VALIDATION, Split.SPLIT_TEST)) {
                store.add(result("baseline:" + baseline + ":home-data:k1:f0", baseline, 0, split, 0.1).toBuilder()
                        .setBaseline(true).setDataset(HOME_DATA).clearExperimentId().clearLoss().build());
            }
        }

        String html = given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();

        String homeRow = html.lines().filter(l -> l.contains("data-experiment=\"" + HOME + "\"")).findFirst().orElseThrow();
        String waitingRow = html.lines().filter(l -> l.contains("data-experiment=\"" + WAITING + "\"")).findFirst().orElseThrow();
        assertThat(homeRow).contains("<a href=\"/leaderboard/" + HOME + "\">", "done", "2/2 trained, 2/2 evaluated",
                "45.00 (ms)");
        assertThat(waitingRow).contains("<a href=\"/leaderboard/" + WAITING + "\">", "waiting-spec", "training",
                "0/2 trained, 0/2 evaluated", "–");
        assertThat(html).contains("<a href=\"/leaderboard/" + EXPERIMENT + "\">");
        // newest first: the accepted experiment (it has a creation time) before those known from evaluations only
        assertThat(html.indexOf(waitingRow)).isLessThan(html.indexOf(homeRow));

        ManagedChannel channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        try {
            List<ExperimentSummary> listed = EvaluationServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                    .listExperiments(ListExperimentsRequest.getDefaultInstance()).getExperimentsList();
            ExperimentSummary waiting = listed.stream().filter(e -> e.getExperimentId().equals(WAITING)).findFirst().orElseThrow();
            assertThat(waiting.getState()).isEqualTo(ExperimentState.EXPERIMENT_STATE_TRAINING);
            assertThat(waiting.getRunsTotal()).isEqualTo(2);
            assertThat(waiting.hasBestMapAtR()).isFalse();
            ExperimentSummary home = listed.stream().filter(e -> e.getExperimentId().equals(HOME)).findFirst().orElseThrow();
            assertThat(home.getState()).isEqualTo(ExperimentState.EXPERIMENT_STATE_DONE);
            assertThat(home.getRunsEvaluated()).isEqualTo(2);
            assertThat(home.getBestMapAtR()).isCloseTo(0.45, org.assertj.core.api.Assertions.within(1e-12));
            assertThat(home.getBestLoss()).isEqualTo("ms");
            assertThat(listed.indexOf(waiting)).isLessThan(listed.indexOf(home));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void theHtmlTableShowsEveryRowWithMeanAndConfidenceInterval() {
        double mean = (0.30 + 0.36 + 0.33) / 3;
        double sd = Math.sqrt(((0.30 - mean) * (0.30 - mean) + (0.36 - mean) * (0.36 - mean) + (0.33 - mean) * (0.33 - mean)) / 2);
        double half = new TDistribution(2).inverseCumulativeProbability(0.975) * sd / Math.sqrt(3);
        String expectedCell = String.format(java.util.Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * half);

        String html = given().when().get("/leaderboard/" + EXPERIMENT)
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();

        assertThat(html).contains("<table id=\"leaderboard\">", "data-loss=\"triplet\"", "data-loss=\"raw-pixels\"",
                "raw-pixels (baseline)", expectedCell, "margin=0.05730", "MAP@R", "R-Precision", "P@1", "R@4",
                "EventSource('/leaderboard/page-exp/events')");
        assertThat(html.indexOf("data-loss=\"triplet\"")).isLessThan(html.indexOf("data-loss=\"raw-pixels\""));
    }

    @Test
    void theJsonIsTheLeaderboardMessage() throws Exception {
        String json = given().when().get("/leaderboard/" + EXPERIMENT + ".json")
                .then().statusCode(200).contentType(containsString("application/json")).extract().asString();

        Leaderboard.Builder board = Leaderboard.newBuilder();
        JsonFormat.parser().merge(json, board);
        assertThat(board.getEntriesList()).extracting(e -> e.getLossName()).containsExactly("triplet", "raw-pixels");
        assertThat(board.getEntries(0).getValue().getN()).isEqualTo(3);
        assertThat(board.getEntries(1).getBaseline()).isTrue();
    }

    @Test
    void badParametersAre400NamingTheParameterAndUnknownExperiments404() {
        given().when().get("/leaderboard/" + EXPERIMENT + "?split=train").then().statusCode(400).body(containsString("split"));
        given().when().get("/leaderboard/" + EXPERIMENT + "?metric=nmi").then().statusCode(400).body(containsString("metric"));
        given().when().get("/leaderboard/no-such-exp.json").then().statusCode(404).body(containsString("no-such-exp"));
        given().when().get("/leaderboard/no-such-exp").then().statusCode(404).body(containsString("fills in"));
    }

    @Test
    void theEventStreamAnnouncesEachNewEvaluationOfTheExperiment() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = client.sendAsync(HttpRequest.newBuilder(
                        URI.create(server.toString().replaceAll("/$", "") + "/leaderboard/" + EXPERIMENT + "/events"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // closed at the end of the test
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.startsWith(": watching")));

        store.add(result("trip-9", "triplet", 9, Split.SPLIT_VALIDATION, 0.5));
        store.add(result("other", "triplet", 9, Split.SPLIT_VALIDATION, 0.5).toBuilder().setExperimentId("other-exp")
                .setEvaluationId("other/validation").build());

        await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("data: trip-9@10/validation"));
        assertThat(lines).contains("event: evaluation").doesNotContain("data: other/validation");
        response.body().close();
    }
}
