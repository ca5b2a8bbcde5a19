package dev.realitycheck.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.knn.KnnDistance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One evaluation split into blocks of queries ({@link RetrievalEvaluator#scoreBlock}), combined
 * ({@link RetrievalEvaluator#combine}): exactly the single-process report, bit for bit, on every
 * shared fixture, through every search path, and on a generated 100,000 x 16 set.
 */
class BlockScoresTest {

    static List<org.junit.jupiter.params.provider.Arguments> cases() {
        return PmlFixturesTest.cases();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("cases")
    void blocksCombineToTheSingleProcessReportOnEveryFixture(PmlFixture fixture, PmlFixturesTest.Engine engine) {
        RetrievalEvaluator evaluator = new RetrievalEvaluator(
                new ExactKnn(fixture.distance(), engine.threads(), engine.kernel(), engine.symmetricBudget()),
                RetrievalEvaluator.standardMetrics(fixture.recallKs()));
        RetrievalTask task = fixture.task();
        RetrievalReport single = evaluator.evaluate(task);
        int n = task.queries().rows();

        // a one-query block, an uneven split, and (small fixtures) many blocks of up to three
        List<List<BlockScores>> splits = new ArrayList<>();
        if (n > 2) {
            splits.add(List.of(evaluator.scoreBlock(task, 0, 1), evaluator.scoreBlock(task, 1, n / 3 + 1),
                    evaluator.scoreBlock(task, n / 3 + 1, n)));
        }
        if (n <= 200) {
            splits.add(blocks(evaluator, task, Math.max(1, Math.min(3, n - 1))));
        }
        for (List<BlockScores> split : splits) {
            List<BlockScores> blocks = new ArrayList<>(split);
            Collections.reverse(blocks); // arrival order must not matter

            RetrievalReport combined = evaluator.combine(task.queryLabels(), task.referenceLabels(), task.mode(), blocks);

            assertSameReport(combined, single, fixture + ", " + split.size() + " blocks");
        }
        assertThat(splits).as(fixture + ": no split tried").isNotEmpty();
    }

    @Test
    void blocksCombineToTheSingleProcessReportOnAHundredThousandQueries() {
        int n = 100_000;
        // classes of 8 (R = 7): k stays small enough for the heap paths, symmetric in one process
        // and streamed per block, which keeps this test to seconds
        RetrievalTask task = ClusteredSet.sameSet(n, 16, 17);
        int[] labels = task.queryLabels();
        RetrievalEvaluator evaluator = RetrievalEvaluator.standard(KnnDistance.COSINE, 1, 2, 4, 8);

        RetrievalReport single = evaluator.evaluate(task);
        // three uneven blocks, as three replicas would score them, combined out of order
        List<BlockScores> blocks = new ArrayList<>(List.of(
                evaluator.scoreBlock(task, 61_111, n),
                evaluator.scoreBlock(task, 0, 33_333),
                evaluator.scoreBlock(task, 33_333, 61_111)));
        RetrievalReport combined = evaluator.combine(labels, labels, task.mode(), blocks);

        assertThat(single.evaluatedQueries()).isEqualTo(n);
        assertThat(single.k()).isEqualTo(8);
        assertSameReport(combined, single, "100,000 x 16");
    }

    @Test
    void aBlockTravelsBitForBit() throws IOException {
        double[][] values = {{0.1, Double.NaN, -0.0, Double.MIN_VALUE}, {1, 2, 3, 1.0 / 3}};
        BlockScores block = new BlockScores(40, 44, values, 123_456L);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        block.writeTo(new DataOutputStream(bytes));

        BlockScores read = BlockScores.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(read.from()).isEqualTo(40);
        assertThat(read.to()).isEqualTo(44);
        assertThat(read.knnNanos()).isEqualTo(123_456L);
        for (int m = 0; m < values.length; m++) {
            for (int i = 0; i < values[m].length; i++) {
                assertThat(Double.doubleToRawLongBits(read.values()[m][i]))
                        .isEqualTo(Double.doubleToRawLongBits(values[m][i]));
            }
        }
    }

    @Test
    void combineRejectsGapsOverlapsAndForeignMetricCounts() {
        PmlFixture fixture = PmlFixture.all().get(0);
        RetrievalTask task = fixture.task();
        RetrievalEvaluator evaluator = RetrievalEvaluator.standard(fixture.distance(), fixture.recallKs());
        int n = task.queries().rows();
        BlockScores first = evaluator.scoreBlock(task, 0, 2);
        BlockScores rest = evaluator.scoreBlock(task, 2, n);
        BlockScores overlapping = evaluator.scoreBlock(task, 1, n);

        assertThatThrownBy(() -> evaluator.combine(task.queryLabels(), task.referenceLabels(), task.mode(), List.of(rest)))
                .hasMessageContaining("expected one from 0");
        assertThatThrownBy(() -> evaluator.combine(task.queryLabels(), task.referenceLabels(), task.mode(),
                List.of(first, overlapping))).hasMessageContaining("expected one from 2");
        assertThatThrownBy(() -> evaluator.combine(task.queryLabels(), task.referenceLabels(), task.mode(), List.of(first)))
                .hasMessageContaining("cover queries [0, 2)");
        assertThatThrownBy(() -> evaluator.combine(task.queryLabels(), task.referenceLabels(), task.mode(),
                List.of(new BlockScores(0, n, new double[][] {new double[n]}, 0))))
                .hasMessageContaining("has 1 metrics");
        assertThatThrownBy(() -> evaluator.scoreBlock(task, 0, n + 1)).hasMessageContaining("not within");
        assertThatThrownBy(() -> new BlockScores(3, 3, new double[][] {{}}, 0)).hasMessageContaining("empty");
    }

    private static List<BlockScores> blocks(RetrievalEvaluator evaluator, RetrievalTask task, int blockSize) {
        List<BlockScores> blocks = new ArrayList<>();
        int n = task.queries().rows();
        for (int from = 0; from < n; from += blockSize) {
            blocks.add(evaluator.scoreBlock(task, from, Math.min(n, from + blockSize)));
        }
        return blocks;
    }

    /** Every metric, overall, per class average and per class, equal as doubles (NaN equals NaN). */
    static void assertSameReport(RetrievalReport actual, RetrievalReport expected, String what) {
        assertThat(actual.metrics()).as(what).isEqualTo(expected.metrics());
        assertThat(actual.metricsPerClassAverage()).as(what).isEqualTo(expected.metricsPerClassAverage());
        assertThat(actual.perClass()).as(what).isEqualTo(expected.perClass());
        assertThat(actual.queries()).as(what).isEqualTo(expected.queries());
        assertThat(actual.loneQueries()).as(what).isEqualTo(expected.loneQueries());
        assertThat(actual.k()).as(what).isEqualTo(expected.k());
    }
}
