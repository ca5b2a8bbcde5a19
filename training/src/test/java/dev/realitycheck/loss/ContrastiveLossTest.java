package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.loss.distance.LpDistance;
import dev.realitycheck.loss.reducer.AvgNonZeroReducer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

    static final int DIM = 4;
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1};

    /** PML's formula with its defaults (pos margin 0, neg margin 1), on every ordered pair. */
    static double naive(double[] x, int[] labels, double posMargin, double negMargin, Pairs mined) {
        double[][] d = Naive.euclidean(x, DIM);
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        if (mined == null) {
            for (int i = 0; i < labels.length; i++) {
                for (int j = 0; j < labels.length; j++) {
                    if (labels[i] == labels[j] && i != j) {
                        pos.add(Naive.relu(d[i][j] - posMargin));
                    } else if (labels[i] != labels[j]) {
                        neg.add(Naive.relu(negMargin - d[i][j]));
                    }
                }
            }
        } else {
            for (int k = 0; k < mined.a1().length; k++) {
                pos.add(Naive.relu(d[mined.a1()[k]][mined.p()[k]] - posMargin));
            }
            for (int k = 0; k < mined.a2().length; k++) {
                neg.add(Naive.relu(negMargin - d[mined.a2()[k]][mined.n()[k]]));
            }
        }
        return Naive.avgNonZero(pos) + Naive.avgNonZero(neg);
    }

    @Test
    void valueAndGradientMatchTheNaiveLoopOnAllPairs() {
        float[] x = LossHarness.gaussian(7, LABELS.length * DIM);
        ContrastiveLoss loss = new ContrastiveLoss();
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null));
        assertThat(result.value()).isCloseTo(naive(LossHarness.toDouble(x), LABELS, 0, 1, null), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naive(v, LABELS, 0, 1, null), 1e-6));
    }

    @Test
    void nonDefaultMarginsAndMinedPairs() {
        float[] x = LossHarness.gaussian(11, LABELS.length * DIM);
        Pairs mined = new Pairs(new int[] {0, 3, 1}, new int[] {3, 6, 4}, new int[] {0, 2, 5, 7},
                new int[] {1, 3, 6, 2});
        ContrastiveLoss loss = new ContrastiveLoss(0.2, 1.2, new LpDistance(), new AvgNonZeroReducer());
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) ->
                loss.build(tf, e, tf.constant(LABELS), mined.constants(tf)));
        assertThat(result.value()).isCloseTo(naive(LossHarness.toDouble(x), LABELS, 0.2, 1.2, mined), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naive(v, LABELS, 0.2, 1.2, mined), 1e-6));
    }

    @Test
    void emptyMinedPairsGiveZeroNotNaN() {
        float[] x = LossHarness.gaussian(3, LABELS.length * DIM);
        Pairs none = new Pairs(new int[0], new int[0], new int[0], new int[0]);
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) ->
                new ContrastiveLoss().build(tf, e, tf.constant(LABELS), none.constants(tf)));
        assertThat(result.value()).isZero();
        // zero of either sign (a product of zero with a negative embedding is -0.0), never NaN
        assertThat(java.util.Arrays.stream(result.gradient()).map(Math::abs).toArray()).containsOnly(0.0);
    }

    @Test
    void rejectsNonFiniteMargins() {
        assertThatThrownBy(() -> new ContrastiveLoss(Double.NaN, 1, new LpDistance(), new AvgNonZeroReducer()))
                .hasMessageContaining("posMargin").hasMessageContaining("NaN");
    }
}
