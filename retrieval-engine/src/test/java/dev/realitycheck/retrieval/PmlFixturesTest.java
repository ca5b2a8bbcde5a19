package dev.realitycheck.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.knn.DotKernel;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.knn.ScalarDotKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the shared pytorch-metric-learning fixtures, through every search path (vector and
 * scalar kernels, symmetric and streaming, one and two threads): each metric must lie within the
 * case's rounding-tolerance bounds, overall and averaged per class.
 */
class PmlFixturesTest {

    /** A way to run the exact search. */
    record Engine(String name, DotKernel kernel, int threads, long symmetricBudget) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Engine> engines() {
        return List.of(
                new Engine("best-kernel,2 threads,symmetric", DotKernel.best(), 2, 256L << 20),
                new Engine("best-kernel,1 thread,streaming", DotKernel.best(), 1, 0),
                new Engine("scalar,2 threads,streaming", new ScalarDotKernel(32), 2, 0),
                new Engine("scalar,1 thread,symmetric", new ScalarDotKernel(16), 1, 256L << 20));
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (PmlFixture f : PmlFixture.all()) {
            for (Engine e : engines()) {
                out.add(Arguments.of(f, e));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("cases")
    void everyMetricLiesWithinPmlRoundingBounds(PmlFixture fixture, Engine engine) {
        RetrievalEvaluator evaluator = new RetrievalEvaluator(
                new ExactKnn(fixture.distance(), engine.threads(), engine.kernel(), engine.symmetricBudget()),
                RetrievalEvaluator.standardMetrics(fixture.recallKs()));

        RetrievalReport report = evaluator.evaluate(fixture.task());

        assertThat(report.loneQueries()).as("lone queries").isEqualTo(fixture.loneQueries());
        assertWithin(fixture, report.metrics(), false);
        assertWithin(fixture, report.metricsPerClassAverage(), true);
    }

    private static void assertWithin(PmlFixture fixture, Map<String, Double> values, boolean avgOfAvgs) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            String metric = e.getKey();
            double value = e.getValue();
            if (avgOfAvgs && metric.startsWith(RecallAtK.PREFIX) && fixture.tieDependent()) {
                continue; // per-class recall has no tie bounds in the fixtures; the overall one is checked
            }
            double[] bounds = fixture.bounds(metric, avgOfAvgs);
            String what = (avgOfAvgs ? "per-class average " : "") + metric;
            if (bounds == null) {
                assertThat(value).as(what + " (PML: undefined)").isNaN();
            } else {
                assertThat(value).as(what).isBetween(bounds[0] - 1e-6, bounds[1] + 1e-6);
            }
        }
    }
}
