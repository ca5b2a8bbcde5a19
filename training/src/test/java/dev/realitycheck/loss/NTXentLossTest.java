package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.reducer.MeanReducer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NTXentLossTest {

    static final int DIM = 4;
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1};

    /** For every ordered positive pair, {@code -log(e^{s_ap/τ} / (e^{s_ap/τ} + Σ_n e^{s_an/τ}) + tiny)}, averaged. */
    static double naive(double[] x, int[] labels, double temperature) {
        double[][] s = Naive.cosine(x, DIM);
        List<Double> losses = new ArrayList<>();
        for (int a = 0; a < labels.length; a++) {
            for (int p = 0; p < labels.length; p++) {
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                double numerator = Math.exp(s[a][p] / temperature);
                double denominator = numerator;
                for (int n = 0; n < labels.length; n++) {
                    if (labels[n] != labels[a]) {
                        denominator += Math.exp(s[a][n] / temperature);
                    }
                }
                losses.add(-Math.log(numerator / denominator + Float.MIN_NORMAL));
            }
        }
        return Naive.mean(losses);
    }

    @Test
    void valueAndGradientMatchTheNaiveLoop() {
        float[] x = LossHarness.gaussian(21, LABELS.length * DIM);
        NTXentLoss loss = new NTXentLoss();
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null));
        double expected = naive(LossHarness.toDouble(x), LABELS, 0.07);
        assertThat(result.value()).isCloseTo(expected, within(1e-5 * Math.max(1, expected)));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naive(v, LABELS, 0.07), 1e-6));
    }

    @Test
    void largerTemperature() {
        float[] x = LossHarness.gaussian(22, LABELS.length * DIM);
        NTXentLoss loss = new NTXentLoss(0.5, new CosineSimilarity(), new MeanReducer());
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null));
        assertThat(result.value()).isCloseTo(naive(LossHarness.toDouble(x), LABELS, 0.5), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naive(v, LABELS, 0.5), 1e-6));
    }

    /** PML with mined pairs: for pair k, the negatives are the negative pairs whose anchor is a1[k], repeats included. */
    static double naiveMined(double[] x, Pairs mined, double temperature) {
        double[][] s = Naive.cosine(x, DIM);
        List<Double> losses = new ArrayList<>();
        for (int k = 0; k < mined.a1().length; k++) {
            int a = mined.a1()[k];
            double numerator = Math.exp(s[a][mined.p()[k]] / temperature);
            double denominator = numerator;
            for (int m = 0; m < mined.a2().length; m++) {
                if (mined.a2()[m] == a) {
                    denominator += Math.exp(s[a][mined.n()[m]] / temperature);
                }
            }
            losses.add(-Math.log(numerator / denominator + Float.MIN_NORMAL));
        }
        return Naive.mean(losses);
    }

    @Test
    void minedPairsWithRepeatsAndAnchorsWithoutNegatives() {
        float[] x = LossHarness.gaussian(24, LABELS.length * DIM);
        // anchor 0 has negatives 1, 2 and 1 again; anchor 3 has none; anchor 4 has one
        Pairs mined = new Pairs(new int[] {0, 0, 3, 4}, new int[] {3, 6, 0, 1}, new int[] {0, 0, 0, 4, 7},
                new int[] {1, 2, 1, 5, 3});
        NTXentLoss loss = new NTXentLoss(0.2, new CosineSimilarity(), new MeanReducer());
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) ->
                loss.build(tf, e, tf.constant(LABELS), mined.constants(tf)));
        assertThat(result.value()).isCloseTo(naiveMined(LossHarness.toDouble(x), mined, 0.2), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naiveMined(v, mined, 0.2), 1e-6));
    }

    @Test
    void oneClassBatchHasNoNegativesAndCostsNothing() {
        float[] x = LossHarness.gaussian(23, 4 * DIM);
        int[] labels = {3, 3, 3, 3};
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) -> new NTXentLoss().build(tf, e, tf.constant(labels), null));
        assertThat(result.value()).isZero();
        assertThat(result.gradient()).containsOnly(0.0);
    }

    @Test
    void rejectsNonPositiveTemperature() {
        assertThatThrownBy(() -> new NTXentLoss(0, new CosineSimilarity(), new MeanReducer()))
                .hasMessageContaining("temperature").hasMessageContaining("0.0");
    }
}
