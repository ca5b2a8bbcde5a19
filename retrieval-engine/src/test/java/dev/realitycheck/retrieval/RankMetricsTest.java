package dev.realitycheck.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.knn.RankedRelevance;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rank metrics read runs of relevant ranks ({@link RankedRelevance}); here they are checked
 * against the definitions written rank by rank ({@link RankByRank}), on patterns with long runs after misses (where
 * MAP@R takes its closed form), short runs, runs past R, and fewer ranks than R.
 */
class RankMetricsTest {

    @Test
    void runsGiveTheRankByRankDefinitions() {
        Random random = new Random(5);
        RetrievalMetric[] metrics = {new MeanAveragePrecisionAtR(), new RPrecision(), new PrecisionAtOne(),
                new RecallAtK(5)};
        int closedForms = 0;
        for (int trial = 0; trial < 400; trial++) {
            int count = 1 + random.nextInt(trial < 200 ? 60 : 9000);
            int r = Math.max(1, count - random.nextInt(Math.max(1, count / 3)) + (trial % 7 == 0 ? 50 : 0));
            boolean[] relevant = new boolean[count];
            boolean kind = random.nextBoolean();
            for (int i = 0; i < count; ) { // alternating runs, short or long
                int len = 1 + random.nextInt(random.nextInt(4) == 0 ? 400 : 12);
                for (int j = i; j < Math.min(count, i + len); j++) {
                    relevant[j] = kind;
                }
                closedForms += kind && i > 0 && len > MeanAveragePrecisionAtR.DIRECT_RUN ? 1 : 0;
                kind = !kind;
                i += len;
            }
            RankedRelevance ranked = RankedRelevance.of(relevant, count);
            double[] expected = RankByRank.metrics(relevant, count, r, 5);
            assertThat(metrics[0].value(ranked, r)).as("MAP@R, trial %d", trial).isCloseTo(expected[0], within(1e-13));
            for (int m = 1; m < metrics.length; m++) {
                assertThat(metrics[m].value(ranked, r)).as("%s, trial %d", metrics[m].name(), trial)
                        .isEqualTo(expected[m]);
            }
        }
        assertThat(closedForms).as("long relevant runs after a miss").isGreaterThan(100);
    }

    @Test
    void noRelevantRankScoresZeroAndAllRelevantScoresOne() {
        RankedRelevance none = RankedRelevance.of(new boolean[40], 40);
        boolean[] all = new boolean[40];
        java.util.Arrays.fill(all, true);
        RankedRelevance every = RankedRelevance.of(all, 40);

        assertThat(every.runs()).isEqualTo(1);
        assertThat(new MeanAveragePrecisionAtR().value(none, 40)).isZero();
        assertThat(new MeanAveragePrecisionAtR().value(every, 40)).isEqualTo(1.0);
        assertThat(new RPrecision().value(every, 40)).isEqualTo(1.0);
    }
}
