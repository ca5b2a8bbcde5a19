package dev.realitycheck.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RetrievalEvaluatorTest {

    private static RetrievalEvaluator evaluator(KnnDistance d, int... ks) {
        return new RetrievalEvaluator(new ExactKnn(d, 2), RetrievalEvaluator.standardMetrics(ks));
    }

    private static Embeddings line(double... xs) {
        float[][] rows = new float[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            rows[i] = new float[] {(float) xs[i]};
        }
        return Embeddings.of(rows);
    }

    /** Every metric of the report, in report order, against {@link NaiveRetrieval#metrics}'s values. */
    private static void assertMatchesNaive(RetrievalReport report, double[] expected, double tolerance) {
        List<String> names = List.copyOf(report.metrics().keySet());
        assertThat(names).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(report.get(names.get(i))).as(names.get(i)).isCloseTo(expected[i], within(tolerance));
        }
    }

    @ParameterizedTest
    @EnumSource(KnnDistance.class)
    void matchesNaiveDefinitionsOnRandomClusteredData(KnnDistance distance) {
        Random random = new Random(7);
        int n = 700, dim = 19;
        float[] values = new float[n * dim];
        int[] labels = new int[n];
        float[][] centres = new float[40][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            // class sizes from 1 to ~300: one big class forces k far above the usual few neighbours
            labels[i] = i < 300 ? 0 : 1 + random.nextInt(centres.length - 1);
            for (int j = 0; j < dim; j++) {
                values[i * dim + j] = centres[labels[i]][j] + (float) (1.2 * random.nextGaussian());
            }
        }
        Embeddings e = new Embeddings(values, n, dim);

        RetrievalReport report = evaluator(distance, 1, 3, 10).evaluate(RetrievalTask.sameSet(e, labels));
        double[] expected = NaiveRetrieval.metrics(e, labels, e, labels, true, distance, 1, 3, 10);

        assertThat(report.k()).isGreaterThanOrEqualTo(299);
        assertThat(report.get("precision_at_1")).isCloseTo(expected[0], within(1e-9));
        assertThat(report.get("r_precision")).isCloseTo(expected[1], within(1e-9));
        assertThat(report.get("mean_average_precision_at_r")).isCloseTo(expected[2], within(1e-9));
        assertThat(report.get("recall_at_1")).isCloseTo(expected[3], within(1e-9));
        assertThat(report.get("recall_at_3")).isCloseTo(expected[4], within(1e-9));
        assertThat(report.get("recall_at_10")).isCloseTo(expected[5], within(1e-9));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void tieHeavyLargeClassesMatchNaiveDefinitions(boolean sameSet) {
        // Euclidean on small-integer coordinates: the engine's float scores and the oracle's
        // double distances are both exact, so both see exactly the same (many) ties; classes of
        // 300-500 take the large-k path; a quarter of the rows duplicate earlier ones
        Random random = new Random(23);
        int n = 1200, dim = 3;
        float[] v = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < 500 ? 0 : i < 900 ? 1 : 2;
            if (i > 0 && random.nextInt(4) == 0) {
                System.arraycopy(v, random.nextInt(i) * dim, v, i * dim, dim);
                continue;
            }
            for (int j = 0; j < dim; j++) {
                v[i * dim + j] = random.nextInt(4) + (j == labels[i] ? 1 : 0);
            }
        }
        Embeddings e = new Embeddings(v, n, dim);
        RetrievalTask task = sameSet ? RetrievalTask.sameSet(e, labels) : RetrievalTask.separate(e, labels, e, labels);

        RetrievalReport report = evaluator(KnnDistance.EUCLIDEAN, 1, 5).evaluate(task);
        double[] expected = NaiveRetrieval.metrics(e, labels, e, labels, sameSet, KnnDistance.EUCLIDEAN, 1, 5);

        assertThat(report.k()).isGreaterThan(128); // above ExactKnn.HEAP_MAX_K: the large-k path
        assertMatchesNaive(report, expected, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(ReferenceMode.class)
    void nineDistinctVectorsAClassOfOneAndRAboveHalfTheSetMatchNaiveDefinitions(ReferenceMode mode) {
        // coordinates in {0, 1, 2}^2: 9 distinct vectors, so every query ties with ~100 others
        // at each distance, relevant and irrelevant alike (labels cut across the vectors); class 0
        // holds about 5/8 of the set (R above half of it, asserted: the ranked relevance's tie
        // buckets reach rank k), class 2 is one item (a lone query, still a distractor)
        Random random = new Random(31);
        int n = 900, dim = 2;
        float[] v = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i == 17 ? 2 : random.nextInt(8) < 5 && i < 880 ? 0 : 1;
            for (int j = 0; j < dim; j++) {
                v[i * dim + j] = random.nextInt(3);
            }
        }
        int zeros = (int) java.util.Arrays.stream(labels).filter(l -> l == 0).count();
        Embeddings e = new Embeddings(v, n, dim);
        RetrievalTask task = switch (mode) {
            case SAME -> RetrievalTask.sameSet(e, labels);
            case SEPARATE -> RetrievalTask.separate(e, labels, e, labels);
            case QUERY_PREFIX -> RetrievalTask.queryPrefix(e, labels, e, labels);
        };

        RetrievalReport report = evaluator(KnnDistance.EUCLIDEAN, 1, 5).evaluate(task);
        double[] expected = NaiveRetrieval.metrics(e, labels, e, labels, mode != ReferenceMode.SEPARATE,
                KnnDistance.EUCLIDEAN, 1, 5);

        assertThat(zeros).isGreaterThan(n / 2);
        assertThat(report.k()).isGreaterThan(n / 2);
        assertThat(report.loneQueries()).isEqualTo(mode == ReferenceMode.SEPARATE ? 0 : 1);
        assertMatchesNaive(report, expected, 1e-12);
    }

    @Test
    void separateReferenceSetMatchesNaiveDefinitions() {
        Random random = new Random(11);
        Embeddings q = randomMatrix(random, 130, 5);
        Embeddings ref = randomMatrix(random, 333, 5);
        int[] ql = random.ints(130, 0, 9).toArray();
        int[] rl = random.ints(333, 3, 14).toArray();

        RetrievalReport report = evaluator(KnnDistance.EUCLIDEAN, 1, 2, 4).evaluate(RetrievalTask.separate(q, ql, ref, rl));
        double[] expected = NaiveRetrieval.metrics(q, ql, ref, rl, false, KnnDistance.EUCLIDEAN, 1, 2, 4);

        assertThat(report.loneQueries()).isPositive();
        assertThat(report.get("mean_average_precision_at_r")).isCloseTo(expected[2], within(1e-9));
        assertThat(report.get("r_precision")).isCloseTo(expected[1], within(1e-9));
        assertThat(report.get("recall_at_4")).isCloseTo(expected[5], within(1e-9));
    }

    @Test
    void queryIsExcludedByIndexButItsExactDuplicateIsRetrieved() {
        // rows 0 and 1 are identical with the same label; row 2 is far away with the same label
        Embeddings e = line(0, 0, 10, 10.5);
        int[] labels = {1, 1, 1, 2};

        RetrievalReport report = evaluator(KnnDistance.EUCLIDEAN, 1).evaluate(RetrievalTask.sameSet(e, labels));

        // query 0 -> nearest is row 1 (distance 0, same label), not itself
        assertThat(report.perClass().get(0).values().get("precision_at_1")).isEqualTo(2.0 / 3.0);
    }

    @Test
    void loneQueriesAreLeftOutButStayAsDistractors() {
        // label 9 has a single item: it is not a query, but it is everyone's nearest neighbour
        Embeddings e = line(0, 1, 3, 0.4);
        int[] labels = {1, 1, 1, 9};

        RetrievalReport report = evaluator(KnnDistance.EUCLIDEAN, 1).evaluate(RetrievalTask.sameSet(e, labels));

        assertThat(report.loneQueries()).isEqualTo(1);
        assertThat(report.evaluatedQueries()).isEqualTo(3);
        // query 0 (nearest 0.4, label 9: miss), query 1 (nearest 0.4: miss), query 2 (nearest 1: hit)
        assertThat(report.get("precision_at_1")).isCloseTo(1.0 / 3.0, within(1e-12));
    }

    @Test
    void everyQueryLoneGivesUndefinedNotZero() {
        Embeddings e = line(0, 1, 2);
        int[] labels = {1, 2, 3};

        RetrievalReport report = evaluator(KnnDistance.EUCLIDEAN, 1, 2).evaluate(RetrievalTask.sameSet(e, labels));

        assertThat(report.defined()).isFalse();
        assertThat(report.metrics().values()).allSatisfy(v -> assertThat(v).isNaN());
        assertThat(report.metricsPerClassAverage().values()).allSatisfy(v -> assertThat(v).isNaN());
        assertThat(report.perClass()).isEmpty();
    }

    @Test
    void exactTiesAreBrokenByAscendingReferenceIndex() {
        // query at 0; references at -1 (label 2, index 0) and +1 (label 1, index 1): equal distance
        Embeddings q = line(0);
        Embeddings ref = line(-1, 1);
        RetrievalReport lowIndexWrong = evaluator(KnnDistance.EUCLIDEAN, 1)
                .evaluate(RetrievalTask.separate(q, new int[] {1}, ref, new int[] {2, 1}));
        RetrievalReport lowIndexRight = evaluator(KnnDistance.EUCLIDEAN, 1)
                .evaluate(RetrievalTask.separate(q, new int[] {1}, ref, new int[] {1, 2}));

        assertThat(lowIndexWrong.get("precision_at_1")).isEqualTo(0.0);
        assertThat(lowIndexRight.get("precision_at_1")).isEqualTo(1.0);
    }

    @Test
    void mapAtRRewardsRelevantItemsRankedFirst() {
        // query at 0; same-label references at 1 and 3, another label at 2: ranks rel, irr, rel
        RetrievalReport report = new RetrievalEvaluator(new ExactKnn(KnnDistance.EUCLIDEAN, 1),
                java.util.List.of(new MeanAveragePrecisionAtR(), new RPrecision()))
                .evaluate(RetrievalTask.separate(line(0), new int[] {1}, line(1, 2, 3), new int[] {1, 2, 1}));

        // R = 2; top 2 = [rel, irr]: R-precision 1/2, MAP@R = (1/1)/2
        assertThat(report.get("r_precision")).isEqualTo(0.5);
        assertThat(report.get("mean_average_precision_at_r")).isEqualTo(0.5);
    }

    @Test
    void perClassAverageWeighsClassesEqually() {
        // class 1: two perfect queries; class 2: three queries, nearest neighbour always class 1
        Embeddings q = line(0, 0.1, 5, 6, 7);
        int[] ql = {1, 1, 2, 2, 2};
        Embeddings ref = line(0.05, 5.1, 6.1, 7.1, 20, 21, 22);
        int[] rl = {1, 1, 1, 1, 2, 2, 2};

        RetrievalReport report = evaluator(KnnDistance.EUCLIDEAN, 1).evaluate(RetrievalTask.separate(q, ql, ref, rl));

        assertThat(report.get("precision_at_1")).isCloseTo(2.0 / 5.0, within(1e-12));
        assertThat(report.metricsPerClassAverage().get("precision_at_1")).isCloseTo(0.5, within(1e-12));
        assertThat(report.perClass()).extracting(ClassMetrics::label).containsExactly(1, 2);
        assertThat(report.perClass().get(1).queries()).isEqualTo(3);
        assertThat(report.perClass().get(1).r()).isEqualTo(3);
    }

    @Test
    void nonFiniteEmbeddingsAreRejectedWithTheirPosition() {
        Embeddings bad = new Embeddings(new float[] {0, 1, Float.NaN, 2}, 2, 2);

        assertThatThrownBy(() -> RetrievalTask.sameSet(bad, new int[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1, column 0");
    }

    @Test
    void labelCountMismatchIsRejected() {
        assertThatThrownBy(() -> RetrievalTask.sameSet(line(0, 1), new int[] {1}))
                .hasMessageContaining("1 entries for 2");
    }

    private static Embeddings randomMatrix(Random random, int n, int dim) {
        float[] v = new float[n * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return new Embeddings(v, n, dim);
    }
}
