package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpoints are chosen on validation only; test numbers are shown, never used to choose. */
class LeaderboardBuilderTest {

    private static EvaluationResult result(String run, String loss, long iteration, Split split, double map) {
        String checkpoint = run + "@" + iteration;
        return EvaluationResult.newBuilder()
                .setEvaluationId(EvaluationIds.of(checkpoint, split))
                .setCheckpointId(checkpoint).setRunId(run).setExperimentId("exp").setLossName(loss)
                .setIteration(iteration).setSplit(split)
                .setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(map).setPrecisionAt1(map + 0.1)
                        .putRecallAtK(1, map + 0.1))
                .build();
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
            results.add(result("c" + seed, "contrastive", 10, Split.SPLIT_VALIDATION, 0.5));
            results.add(result("c" + seed, "contrastive", 10, Split.SPLIT_TEST, contrastive[seed]));
            results.add(result("t" + seed, "triplet", 10, Split.SPLIT_VALIDATION, 0.5));
            results.add(result("t" + seed, "triplet", 10, Split.SPLIT_TEST, 0.40));
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
    void theSelectorRefusesTestResults() {
        assertThatThrownBy(() -> CheckpointSelector.best(List.of(result("r", "l", 1, Split.SPLIT_TEST, 0.9))))
                .hasMessageContaining("must only see validation results");
    }
}
