package dev.realitycheck.evaluation.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineWarmUp}: its two generated problems take the evaluator's two paths (k in the
 * thousands: the whole-row selection above the heaps' largest k of 128; k = 8: the heaps), every
 * query counts, the classes mix (MAP@R strictly between 0 and 1, so the selection orders mixed
 * relevance as with a real embedding), the problems are the same on every start, and the warm-up
 * gives way to a checkpoint: none of its problems starts once one is being scored.
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
        assertThat(outcome.complete()).isTrue();
    }

    @Test
    void aCheckpointArrivingDuringTheWarmUpStopsItAfterTheProblemInProgress() throws Exception {
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        AtomicBoolean checkpoint = new AtomicBoolean();
        AtomicInteger asked = new AtomicInteger();
        ExecutorService warmUpThread = Executors.newSingleThreadExecutor();
        try {
            Future<EngineWarmUp.Outcome> warmUp = warmUpThread.submit(() -> EngineWarmUp.run(evaluator(), () -> {
                boolean waiting = checkpoint.get();
                if (asked.incrementAndGet() == 1) {
                    checked.countDown(); // nothing waits yet: the large-k problem starts ...
                    try {
                        await(arrived);  // ... and the checkpoint arrives while it runs
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return waiting;
            }));
            await(checked);
            checkpoint.set(true);
            arrived.countDown();
            EngineWarmUp.Outcome outcome = warmUp.get(60, TimeUnit.SECONDS);

            assertThat(outcome.largeK()).as("the problem in progress").isNotNull();
            assertThat(outcome.smallK()).as("no problem starts after the checkpoint came").isNull();
            assertThat(outcome.complete()).isFalse();
            assertThat(asked).hasValue(2);
        } finally {
            warmUpThread.shutdownNow();
        }
    }

    @Test
    void aCheckpointAlreadyBeingScoredSkipsTheWarmUp() {
        EngineWarmUp.Outcome outcome = EngineWarmUp.run(evaluator(), () -> true);
        assertThat(outcome.largeK()).isNull();
        assertThat(outcome.smallK()).isNull();
        assertThat(outcome.complete()).isFalse();
    }

    private static dev.realitycheck.retrieval.RetrievalEvaluator evaluator() {
        return new HeldOutScorer(2, new int[] {1, 2, 4, 8}, new SimpleMeterRegistry()).evaluator();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(60, TimeUnit.SECONDS)).as("latch within 60 s").isTrue();
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
