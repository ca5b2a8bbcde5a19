package dev.realitycheck.evaluation.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineWarmUp}: its two generated problems take the evaluator's two paths (k in the
 * thousands: the whole-row selection above the heaps' largest k of 128; k = 8: the heaps), every
 * query counts, the classes mix (MAP@R strictly between 0 and 1, so the selection orders mixed
 * relevance as with a real embedding), and the problems are the same on every start.
 */
class EngineWarmUpTest {

    @Test
    void takesBothPathsOfTheServicesEvaluatorOnMixedClasses() {
        EngineWarmUp.Outcome outcome = EngineWarmUp.run(new HeldOutScorer(2, new int[] {1, 2, 4, 8},
                new SimpleMeterRegistry()).evaluator());

        RetrievalReport large = outcome.largeK();
        assertThat(large.k()).isEqualTo(EngineWarmUp.LARGE_ROWS / 2 - 1).isGreaterThan(128);
        assertThat(large.evaluatedQueries()).isEqualTo(EngineWarmUp.LARGE_ROWS);
        assertThat(large.get("mean_average_precision_at_r")).isStrictlyBetween(0.0, 1.0);

        RetrievalReport small = outcome.smallK();
        assertThat(small.k()).isEqualTo(8); // Recall@8 needs more than R = 7
        assertThat(small.evaluatedQueries()).isEqualTo(EngineWarmUp.SMALL_ROWS);
        assertThat(small.get("mean_average_precision_at_r")).isStrictlyBetween(0.0, 1.0);
        assertThat(outcome.nanos()).isPositive();
    }

    @Test
    void generatesTheSameClustersForTheSameSeed() {
        RetrievalTask a = EngineWarmUp.clusters(100, 8, 1f, 7);
        RetrievalTask b = EngineWarmUp.clusters(100, 8, 1f, 7);
        RetrievalTask other = EngineWarmUp.clusters(100, 8, 1f, 8);

        assertThat(a.queries().rows()).isEqualTo(100);
        assertThat(a.queries().dim()).isEqualTo(EngineWarmUp.DIM);
        assertThat(java.util.Arrays.stream(a.queryLabels()).distinct().count()).isEqualTo(13);
        assertThat(a.queries().get(57, 3)).isEqualTo(b.queries().get(57, 3)).isNotEqualTo(other.queries().get(57, 3));
    }
}
