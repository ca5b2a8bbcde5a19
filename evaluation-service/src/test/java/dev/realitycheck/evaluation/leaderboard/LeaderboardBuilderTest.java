package dev.realitycheck.evaluation.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.evaluation.results.CheckpointSelector;
import dev.realitycheck.evaluation.scoring.EvaluationIds;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpoints are chosen on validation only; test numbers are shown, never used to choose. */
class LeaderboardBuilderTest {

    private static EvaluationResult result(String run, String loss, long iteration, Split split, double map) {
        return result(run, loss, 0, 0, iteration, split, map);
    }

    private static EvaluationResult result(String run, String loss, long seed, int fold, long iteration, Split split,
                                           double map) {
        String checkpoint = run + "@" + iteration;
        return EvaluationResult.newBuilder()
                .setEvaluationId(EvaluationIds.of(checkpoint, split))
                .setCheckpointId(checkpoint).setRunId(run).setExperimentId("exp").setLossName(loss)
                .setSeed(seed).setFold(fold).setFoldCount(2)
                .setIteration(iteration).setSplit(split)
                .setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(map).setPrecisionAt1(map + 0.1)
                        .putRecallAtK(1, map + 0.1))
                .build();
    }

    private static EvaluationResult trial(EvaluationResult r, int trial, double margin) {
        return r.toBuilder().setTrial(trial).setLoss(LossConfig.newBuilder().setName(r.getLossName())
                .setLoss("contrastive").putHyperparameters("margin", margin)).build();
    }

    private static EvaluationResult concatenated(String loss, long seed, double map) {
        String run = "concat:exp/" + loss + "/" + seed;
        return EvaluationResult.newBuilder().setEvaluationId(run + "/test").setRunId(run).setCheckpointId("a+b")
                .setExperimentId("exp").setLossName(loss).setSeed(seed).setSplit(Split.SPLIT_TEST).setConcatenated(true)
                .setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(map).setPrecisionAt1(map + 0.1)).build();
    }

    /** 95% CI half-width computed here from the definition, independently of the Summary class. */
    private static double halfWidth(double... v) {
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double ss = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        double t = new org.apache.commons.math3.distribution.TDistribution(v.length - 1).inverseCumulativeProbability(0.975);
        return t * Math.sqrt(ss / (v.length - 1)) / Math.sqrt(v.length);
    }

    @Test
    void testNumbersNeverChooseTheCheckpoint() {
        List<EvaluationResult> results = new ArrayList<>();
        // run r1: iteration 100 is best on validation, iteration 200 is far better on test
        results.add(result("r1", "triplet", 100, Split.SPLIT_VALIDATION, 0.50));
        results.add(result("r1", "triplet", 100, Split.SPLIT_TEST, 0.30));
        results.add(result("r1", "triplet", 200, Split.SPLIT_VALIDATION, 0.40));
        results.add(result("r1", "triplet", 200, Split.SPLIT_TEST, 0.90));

        Leaderboard board = LeaderboardBuilder.build("exp", "", Split.SPLIT_UNSPECIFIED, results);

        LeaderboardEntry row = board.getEntries(0);
        assertThat(row.getCheckpointIdsList()).containsExactly("r1@100");
        assertThat(row.getValue().getMean()).isEqualTo(0.30);
        assertThat(board.getSplit()).isEqualTo(Split.SPLIT_TEST);
    }

    @Test
    void lossesAreRankedByTheMeanOverRunsWithAConfidenceInterval() {
        List<EvaluationResult> results = new ArrayList<>();
        double[] contrastive = {0.30, 0.34, 0.32};
        for (int seed = 0; seed < 3; seed++) {
            results.add(result("c" + seed, "contrastive", seed, 0, 10, Split.SPLIT_VALIDATION, 0.5));
            results.add(result("c" + seed, "contrastive", seed, 0, 10, Split.SPLIT_TEST, contrastive[seed]));
            results.add(result("t" + seed, "triplet", seed, 0, 10, Split.SPLIT_VALIDATION, 0.5));
            results.add(result("t" + seed, "triplet", seed, 0, 10, Split.SPLIT_TEST, 0.40));
        }
        results.add(result("t9", "triplet", 10, Split.SPLIT_TEST, 0.99)); // never validated: not counted

        Leaderboard board = LeaderboardBuilder.build("exp", "", Split.SPLIT_TEST, results);

        assertThat(board.getEntriesList()).extracting(LeaderboardEntry::getLossName).containsExactly("triplet", "contrastive");
        LeaderboardEntry c = board.getEntries(1);
        assertThat(c.getRank()).isEqualTo(2);
        assertThat(c.getValue().getMean()).isCloseTo(0.32, within(1e-12));
        assertThat(c.getValue().getN()).isEqualTo(3);
        // sd 0.02, t(0.975, 2) = 4.302653
        assertThat(c.getValue().getCi95HalfWidth()).isCloseTo(4.302653 * 0.02 / Math.sqrt(3), within(1e-6));
        assertThat(board.getEntries(0).getRunsTotal()).isEqualTo(4);
        assertThat(board.getEntries(0).getRunsEvaluated()).isEqualTo(3);
        assertThat(c.getMetricsMap()).containsKeys("mean_average_precision_at_r", "precision_at_1", "recall_at_k/1");
    }

    @Test
    void separatedNumbersAverageTheFoldsOfEachSeedThenSummariseOverSeeds() {
        List<EvaluationResult> results = new ArrayList<>();
        double[][] test = {{0.20, 0.30}, {0.40, 0.44}, {0.10, 0.50}}; // [seed][fold]
        for (int seed = 0; seed < 3; seed++) {
            for (int fold = 0; fold < 2; fold++) {
                String run = "r-s" + seed + "-f" + fold;
                results.add(result(run, "ms", seed, fold, 10, Split.SPLIT_VALIDATION, 0.6));
                results.add(result(run, "ms", seed, fold, 10, Split.SPLIT_TEST, test[seed][fold]));
            }
        }
        LeaderboardEntry row = LeaderboardBuilder.build("exp", "", Split.SPLIT_TEST, results).getEntries(0);

        double[] perSeed = {0.25, 0.42, 0.30};
        assertThat(row.getValue().getN()).isEqualTo(3);
        assertThat(row.getValue().getMean()).isCloseTo((0.25 + 0.42 + 0.30) / 3, within(1e-12));
        assertThat(row.getValue().getCi95HalfWidth()).isCloseTo(halfWidth(perSeed), within(1e-9));
        assertThat(row.getRunsEvaluated()).isEqualTo(6);
        assertThat(row.getValidationMapAtR().getMean()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void finalReproductionsAreRankedAndTrialsLeftOutWithTheirHyperparametersShown() {
        List<EvaluationResult> results = new ArrayList<>();
        // trial 7 of "contrastive" scores 0.99 on test but it is a search trial: not a leaderboard row
        results.add(trial(result("trial7", "contrastive", 0, 0, 10, Split.SPLIT_VALIDATION, 0.9), 7, 0.9));
        results.add(trial(result("trial7", "contrastive", 0, 0, 10, Split.SPLIT_TEST, 0.99), 7, 0.9));
        for (int seed = 0; seed < 2; seed++) {
            EvaluationResult v = result("final" + seed, "contrastive", seed, 0, 10, Split.SPLIT_VALIDATION, 0.5);
            EvaluationResult t = result("final" + seed, "contrastive", seed, 0, 10, Split.SPLIT_TEST, 0.30 + 0.02 * seed);
            LossConfig chosen = LossConfig.newBuilder().setName("contrastive").setLoss("contrastive")
                    .putHyperparameters("pos_margin", 0.25).build();
            results.add(v.toBuilder().setLoss(chosen).build());
            results.add(t.toBuilder().setLoss(chosen).build());
        }

        LeaderboardEntry row = LeaderboardBuilder.build("exp", "", Split.SPLIT_TEST, results).getEntries(0);

        assertThat(row.hasTrial()).isFalse();
        assertThat(row.getRunsTotal()).isEqualTo(2);
        assertThat(row.getCheckpointIdsList()).containsExactly("final0@10", "final1@10");
        assertThat(row.getValue().getMean()).isCloseTo(0.31, within(1e-12));
        assertThat(row.getLoss().getHyperparametersMap()).containsEntry("pos_margin", 0.25);
    }

    @Test
    void aLossWithOnlyTrialsShowsItsBestTrialByValidationMarkedAsSuch() {
        List<EvaluationResult> results = new ArrayList<>();
        // trial 1: better on validation; trial 2: better on test (must not matter)
        results.add(trial(result("t1", "arcface", 0, 0, 10, Split.SPLIT_VALIDATION, 0.7), 1, 0.1));
        results.add(trial(result("t1", "arcface", 0, 0, 10, Split.SPLIT_TEST, 0.3), 1, 0.1));
        results.add(trial(result("t2", "arcface", 0, 0, 10, Split.SPLIT_VALIDATION, 0.6), 2, 0.5));
        results.add(trial(result("t2", "arcface", 0, 0, 10, Split.SPLIT_TEST, 0.9), 2, 0.5));

        LeaderboardEntry row = LeaderboardBuilder.build("exp", "", Split.SPLIT_TEST, results).getEntries(0);

        assertThat(row.hasTrial()).isTrue();
        assertThat(row.getTrial()).isEqualTo(1);
        assertThat(row.getValue().getMean()).isEqualTo(0.3);
        assertThat(row.getLoss().getHyperparametersMap()).containsEntry("margin", 0.1);
        assertThat(dev.realitycheck.formats.LeaderboardCells.rowName(row)).contains("search trial 1");
    }

    @Test
    void concatenatedEvaluationsAreSummarisedOverSeedsBesideTheSeparatedOnes() {
        List<EvaluationResult> results = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            results.add(result("r" + seed, "ntxent", seed, 0, 10, Split.SPLIT_VALIDATION, 0.5));
            results.add(result("r" + seed, "ntxent", seed, 0, 10, Split.SPLIT_TEST, 0.3));
        }
        double[] concat = {0.41, 0.45, 0.40};
        for (int seed = 0; seed < 3; seed++) {
            results.add(concatenated("ntxent", seed, concat[seed]));
        }
        results.add(result("baseline:raw-pixels:tiny:k2:f0", "raw-pixels", 0, 0, 0, Split.SPLIT_VALIDATION, 0.2)
                .toBuilder().setBaseline(true).build());
        results.add(result("baseline:raw-pixels:tiny:k2:f0", "raw-pixels", 0, 0, 0, Split.SPLIT_TEST, 0.35)
                .toBuilder().setBaseline(true).build());

        Leaderboard separated = LeaderboardBuilder.build("exp", "", Split.SPLIT_TEST, false, results);
        Leaderboard byConcat = LeaderboardBuilder.build("exp", "", Split.SPLIT_TEST, true, results);

        assertThat(separated.getEntriesList()).extracting(LeaderboardEntry::getLossName).containsExactly("raw-pixels", "ntxent");
        assertThat(byConcat.getEntriesList()).extracting(LeaderboardEntry::getLossName).containsExactly("ntxent", "raw-pixels");
        LeaderboardEntry row = byConcat.getEntries(0);
        assertThat(row.getConcatenatedValue().getMean()).isCloseTo((0.41 + 0.45 + 0.40) / 3, within(1e-12));
        assertThat(row.getConcatenatedValue().getCi95HalfWidth()).isCloseTo(halfWidth(concat), within(1e-9));
        assertThat(row.getConcatenatedMetricsMap()).containsKeys("mean_average_precision_at_r", "precision_at_1");
        assertThat(row.getValue().getMean()).isCloseTo(0.3, within(1e-12)); // separated beside it
        assertThat(byConcat.getEntries(1).getBaseline()).isTrue();
        assertThat(byConcat.getEntries(1).getConcatenatedMetricsMap()).isEmpty();
    }

    @Test
    void runsWithoutEvaluationsArePendingInTheirRowAndARowWithoutAnyIsStillShown() {
        List<EvaluationResult> results = List.of(
                result("exp.ms.fold0.seed0", "ms", 0, 0, 10, Split.SPLIT_VALIDATION, 0.6),
                result("exp.ms.fold0.seed0", "ms", 0, 0, 10, Split.SPLIT_TEST, 0.4),
                result("exp.ms.fold0.seed1", "ms", 1, 0, 10, Split.SPLIT_VALIDATION, 0.5)); // test not yet scored
        List<RunSpec> known = new ArrayList<>();
        for (String loss : List.of("ms", "contrastive")) {
            for (int seed = 0; seed < 2; seed++) {
                known.add(RunSpec.newBuilder().setRunId("exp." + loss + ".fold0.seed" + seed).setExperimentId("exp")
                        .setLoss(LossConfig.newBuilder().setName(loss).setLoss(loss.equals("ms") ? "multi_similarity" : loss))
                        .setFold(0).setFoldCount(2).setSeed(seed).build());
            }
        }

        Leaderboard board = LeaderboardBuilder.build("exp", "", Split.SPLIT_TEST, false, results, known);

        assertThat(board.getEntriesList()).extracting(LeaderboardEntry::getLossName).containsExactly("ms", "contrastive");
        LeaderboardEntry ms = board.getEntries(0);
        assertThat(ms.getRunsEvaluated()).isEqualTo(1);
        assertThat(ms.getRunsTotal()).isEqualTo(2);
        assertThat(ms.getFoldsList()).containsExactly(0);
        LeaderboardEntry contrastive = board.getEntries(1);
        assertThat(contrastive.getRunsEvaluated()).isZero();
        assertThat(contrastive.getRunsTotal()).isEqualTo(2);
        assertThat(contrastive.getMetricsMap()).isEmpty();
        assertThat(contrastive.getLoss().getLoss()).isEqualTo("contrastive");
        assertThat(dev.realitycheck.formats.LeaderboardCells.runs(ms)).isEqualTo("1/2, 1 pending");
        assertThat(dev.realitycheck.formats.LeaderboardCells.progress(board)).hasToString("1 of 4 runs evaluated, 3 pending");
        assertThat(dev.realitycheck.formats.LeaderboardCells.showConcatenated(board)).isFalse();
    }

    @Test
    void theSelectorRefusesTestResults() {
        assertThatThrownBy(() -> CheckpointSelector.best(List.of(result("r", "l", 1, Split.SPLIT_TEST, 0.9))))
                .hasMessageContaining("must only see validation results");
    }
}
