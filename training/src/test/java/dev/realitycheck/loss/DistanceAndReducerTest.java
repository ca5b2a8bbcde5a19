package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.distance.DotProductSimilarity;
import dev.realitycheck.loss.distance.LpDistance;
import dev.realitycheck.loss.reducer.AvgNonZeroReducer;
import dev.realitycheck.loss.reducer.DivisorReducer;
import dev.realitycheck.loss.reducer.MeanReducer;
import dev.realitycheck.loss.reducer.Reducer;
import dev.realitycheck.loss.reducer.ThresholdReducer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.core.ReduceSum;

class DistanceAndReducerTest {

    static final int DIM = 3;

    /** Σ_ij w_ij m_ij with fixed weights: a scalar whose gradient exercises the whole matrix. */
    static double weightedSum(double[] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++) {
            s += m[i] * Math.sin(i + 1);
        }
        return s;
    }

    static float[] weights(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) Math.sin(i + 1);
        }
        return w;
    }

    void check(Distance distance, float[] x) {
        int b = x.length / DIM;
        double[] plain = distance.matrix(x, DIM);
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) -> tf.reduceSum(tf.math.mul(
                tf.reshape(distance.matrix(tf, e), tf.constant(new int[] {-1})), tf.constant(weights(b * b))),
                tf.constant(0)));
        assertThat(result.value()).isCloseTo(weightedSum(plain), within(1e-5));
        assertThat(java.util.Arrays.stream(result.gradient()).allMatch(Double::isFinite)).isTrue();
    }

    @Test
    void graphAndJavaMatricesAgreeWithTheNaiveFormulas() {
        float[] x = LossHarness.gaussian(1, 5 * DIM);
        double[][] euclidean = Naive.euclidean(LossHarness.toDouble(x), DIM);
        double[][] cosine = Naive.cosine(LossHarness.toDouble(x), DIM);
        double[] lp = new LpDistance().matrix(x, DIM);
        double[] cos = new CosineSimilarity().matrix(x, DIM);
        double[] dot = new DotProductSimilarity().matrix(x, DIM);
        double[] raw = new DotProductSimilarity(false).matrix(x, DIM);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertThat(lp[i * 5 + j]).isCloseTo(euclidean[i][j], within(1e-12));
                assertThat(cos[i * 5 + j]).isCloseTo(cosine[i][j], within(1e-12));
                assertThat(dot[i * 5 + j]).isCloseTo(cosine[i][j], within(1e-12));
                double r = 0;
                for (int k = 0; k < DIM; k++) {
                    r += (double) x[i * DIM + k] * x[j * DIM + k];
                }
                assertThat(raw[i * 5 + j]).isCloseTo(r, within(1e-12));
            }
        }
        assertThat(new LpDistance(2, false, 2).matrix(new float[] {0, 0, 0, 1, 2, 2}, DIM)[1]).isCloseTo(9, within(1e-12));
        for (Distance d : List.of(new LpDistance(), new LpDistance(2, false, 1), new LpDistance(2, true, 2),
                new CosineSimilarity(), new DotProductSimilarity(), new DotProductSimilarity(false))) {
            check(d, x);
        }
    }

    @Test
    void euclideanGradientMatchesFiniteDifferencesAndStaysFiniteOnDuplicates() {
        float[] x = LossHarness.gaussian(2, 4 * DIM);
        System.arraycopy(x, 0, x, DIM, DIM); // row 1 duplicates row 0: a zero distance off the diagonal
        LpDistance distance = new LpDistance(2, false, 1);
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) -> tf.reduceSum(tf.math.mul(
                tf.reshape(distance.matrix(tf, e), tf.constant(new int[] {-1})), tf.constant(weights(16))),
                tf.constant(0)));
        assertThat(java.util.Arrays.stream(result.gradient()).allMatch(Double::isFinite)).isTrue();
        // away from the duplicated pair, the gradient is the smooth one: rows 2 and 3
        double[] fd = LossHarness.finiteDifferences(LossHarness.toDouble(x), v -> {
            float[] f = new float[v.length];
            double s = 0;
            int b = v.length / DIM;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double q = 0;
                    for (int k = 0; k < DIM; k++) {
                        q += (v[i * DIM + k] - v[j * DIM + k]) * (v[i * DIM + k] - v[j * DIM + k]);
                    }
                    s += Math.sqrt(q) * Math.sin(i * b + j + 1);
                }
            }
            return s;
        }, 1e-6);
        for (int k = 2 * DIM; k < 4 * DIM; k++) {
            assertThat(result.gradient()[k]).isCloseTo(fd[k], within(1e-3 * Math.max(1, Math.abs(fd[k]))));
        }
    }

    @Test
    void reducersInTheGraphMatchTheirJavaForm() {
        float[] losses = {0, 0.5f, -0.25f, 2, 0, 1.5f, 3};
        double[] asDouble = LossHarness.toDouble(losses);
        for (Reducer r : List.of(new MeanReducer(), new AvgNonZeroReducer(), new DivisorReducer(4),
                new ThresholdReducer(0.2, 2.5), new ThresholdReducer(Double.NEGATIVE_INFINITY, 1))) {
            var result = LossHarness.evaluate(losses, 1, (tf, e, p) ->
                    r.reduce(tf, tf.reshape(tf.math.mul(e, tf.constant(1f)), tf.constant(new int[] {-1}))));
            assertThat(result.value()).as("%s", r).isCloseTo(r.reduce(asDouble), within(1e-6));
            // d/dl of the reduction: 1/count for the selected elements, 0 elsewhere (counts held constant)
            double[] fd = LossHarness.finiteDifferences(asDouble, r::reduce, 1e-7);
            for (int i = 0; i < losses.length; i++) {
                if (losses[i] != 0) { // 0 sits on AvgNonZero's kink
                    assertThat(result.gradient()[i]).as("%s at %d", r, i).isCloseTo(fd[i], within(1e-5));
                }
            }
        }
        assertThat(new MeanReducer().reduce(new double[0])).isZero();
        assertThat(new AvgNonZeroReducer().reduce(new double[] {0, -1})).isZero();
    }

    @Test
    void maskedReductionOfADenseTensorEqualsTheReductionOfItsValidElements() {
        // [2, 4] losses; the mask keeps 5 of them (a masked 9 and a masked 0.5 must not count)
        float[] losses = {0, 0.5f, 9, 2, -0.25f, 0.5f, 1.5f, 3};
        boolean[] valid = {true, true, false, true, true, false, true, false};
        double[] kept = {0, 0.5, 2, -0.25, 1.5};
        for (Reducer r : List.of(new MeanReducer(), new AvgNonZeroReducer(), new DivisorReducer(4),
                new ThresholdReducer(0.2, 2.5))) {
            var result = LossHarness.evaluate(losses, 1, (tf, e, p) -> r.reduce(tf,
                    tf.reshape(tf.math.mul(e, tf.constant(1f)), tf.constant(new int[] {2, 4})),
                    tf.reshape(tf.constant(valid), tf.constant(new int[] {2, 4}))));
            assertThat(result.value()).as("%s", r).isCloseTo(r.reduce(kept), within(1e-6));
            for (int i = 0; i < losses.length; i++) {
                if (!valid[i]) {
                    assertThat(result.gradient()[i]).as("%s at masked %d", r, i).isZero();
                }
            }
        }
    }

    @Test
    void emptyLossesReduceToZero() {
        for (Reducer r : List.of(new MeanReducer(), new AvgNonZeroReducer(), new DivisorReducer(2),
                new ThresholdReducer(0, 1))) {
            var result = LossHarness.evaluate(new float[] {1, 2}, 1, (tf, e, p) -> tf.math.add(
                    r.reduce(tf, tf.gather(tf.reshape(e, tf.constant(new int[] {-1})), tf.constant(new int[0]),
                            tf.constant(0))),
                    tf.math.mul(tf.constant(0f), tf.reduceSum(e, tf.constant(new int[] {0, 1}), ReduceSum.keepDims(false)))));
            assertThat(result.value()).as("%s", r).isZero();
            assertThat(result.gradient()).containsOnly(0.0);
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new LpDistance(1, true, 1)).hasMessageContaining("p = 2").hasMessageContaining("1");
        assertThatThrownBy(() -> new LpDistance(2, true, 0)).hasMessageContaining("power").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new DivisorReducer(-2)).hasMessageContaining("divisor").hasMessageContaining("-2.0");
        assertThatThrownBy(() -> new ThresholdReducer(1, 1)).hasMessageContaining("low=1.0 high=1.0");
        assertThatThrownBy(() -> new ThresholdReducer(Double.NaN, 1)).hasMessageContaining("NaN");
    }
}
