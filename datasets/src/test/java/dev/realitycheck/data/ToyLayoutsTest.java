package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paper's Figure 1, with the project's own metrics: P@1 cannot tell these layouts apart, MAP@R can. */
class ToyLayoutsTest {

    private static RetrievalReport evaluate(ToyLayouts.Layout layout) {
        return new RetrievalEvaluator(new ExactKnn(KnnDistance.EUCLIDEAN, 1), RetrievalEvaluator.standardMetrics(1))
                .evaluate(RetrievalTask.sameSet(layout.points(), layout.labels()));
    }

    @Test
    void precisionAtOneIsPerfectOnEveryLayoutWhileMapAtRSeparatesThem() {
        List<ToyLayouts.Layout> layouts = ToyLayouts.all(0);
        double[] map = new double[3];
        for (int i = 0; i < 3; i++) {
            RetrievalReport report = evaluate(layouts.get(i));
            assertThat(report.get("precision_at_1")).as(layouts.get(i).name()).isGreaterThanOrEqualTo(0.99);
            map[i] = report.get("mean_average_precision_at_r");
        }
        assertThat(map[0]).as("compact").isGreaterThan(0.99);
        assertThat(map[0] - map[1]).as("compact - strips").isGreaterThan(0.2);
        assertThat(map[1] - map[2]).as("strips - clumps").isGreaterThan(0.2);
    }

    @Test
    void theSameSeedGivesTheSamePointsAndAnotherSeedOthers() {
        assertThat(ToyLayouts.compact(3).points().values()).isEqualTo(ToyLayouts.compact(3).points().values());
        assertThat(ToyLayouts.clumps(3).points().values()).isNotEqualTo(ToyLayouts.clumps(4).points().values());
    }

    @Test
    void theSketchMarksBothClasses() {
        String sketch = ToyLayouts.sketch(ToyLayouts.clumps(0), 30, 8);
        assertThat(sketch.lines()).hasSize(8).allSatisfy(l -> assertThat(l).hasSize(30));
        assertThat(sketch).contains("o").contains("x");
    }
}
