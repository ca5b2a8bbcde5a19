package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.reducer.MeanReducer;
import org.junit.jupiter.api.Test;

class MultiSimilarityLossTest {

    static final int DIM = 4;
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1};

    /** Per row: (1/α) log(1 + Σ_p e^{-α(s-base)}) + (1/β) log(1 + Σ_n e^{β(s-base)}); mean over rows. */
    static double naive(double[] x, int[] labels, double alpha, double beta, double base, Pairs mined) {
        double[][] s = Naive.cosine(x, DIM);
        int b = labels.length;
        boolean[][] pos = new boolean[b][b];
        boolean[][] neg = new boolean[b][b];
        if (mined == null) {
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    pos[i][j] = i != j && labels[i] == labels[j];
                    neg[i][j] = labels[i] != labels[j];
                }
            }
        } else {
            for (int k = 0; k < mined.a1().length; k++) {
                pos[mined.a1()[k]][mined.p()[k]] = true;
            }
            for (int k = 0; k < mined.a2().length; k++) {
                neg[mined.a2()[k]][mined.n()[k]] = true;
            }
        }
        double total = 0;
        for (int i = 0; i < b; i++) {
            double ps = 0;
            double ns = 0;
            for (int j = 0; j < b; j++) {
                if (pos[i][j]) {
                    ps += Math.exp(-alpha * (s[i][j] - base));
                }
                if (neg[i][j]) {
                    ns += Math.exp(beta * (s[i][j] - base));
                }
            }
            total += Math.log1p(ps) / alpha + Math.log1p(ns) / beta;
        }
        return total / b;
    }

    @Test
    void valueAndGradientMatchTheNaiveLoop() {
        float[] x = LossHarness.gaussian(31, LABELS.length * DIM);
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) ->
                new MultiSimilarityLoss().build(tf, e, tf.constant(LABELS), null));
        double expected = naive(LossHarness.toDouble(x), LABELS, 2, 50, 0.5, null);
        assertThat(result.value()).isCloseTo(expected, within(1e-5 * Math.max(1, expected)));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naive(v, LABELS, 2, 50, 0.5, null), 1e-6));
    }

    @Test
    void minedPairsWithRowsLeftEmpty() {
        float[] x = LossHarness.gaussian(32, LABELS.length * DIM);
        Pairs mined = new Pairs(new int[] {0, 0, 4}, new int[] {3, 6, 1}, new int[] {2, 2, 7}, new int[] {0, 1, 5});
        MultiSimilarityLoss loss = new MultiSimilarityLoss(1, 10, 0.2, new CosineSimilarity(), new MeanReducer());
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) ->
                loss.build(tf, e, tf.constant(LABELS), mined.constants(tf)));
        assertThat(result.value()).isCloseTo(naive(LossHarness.toDouble(x), LABELS, 1, 10, 0.2, mined), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naive(v, LABELS, 1, 10, 0.2, mined), 1e-6));
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThatThrownBy(() -> new MultiSimilarityLoss(-1, 50, 0.5, new CosineSimilarity(), new MeanReducer()))
                .hasMessageContaining("alpha").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new MultiSimilarityLoss(2, 0, 0.5, new CosineSimilarity(), new MeanReducer()))
                .hasMessageContaining("beta").hasMessageContaining("0.0");
    }
}
