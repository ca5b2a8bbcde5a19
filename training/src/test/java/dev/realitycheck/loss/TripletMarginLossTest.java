package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.reducer.AvgNonZeroReducer;
import dev.realitycheck.loss.reducer.MeanReducer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TripletMarginLossTest {

    static final int DIM = 4;
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1};

    /** Every triplet (or the mined ones), {@code relu(d_ap - d_an + margin)}, averaged over the non-zero ones. */
    static double naive(double[] x, int[] labels, double margin, Triplets mined) {
        double[][] d = Naive.euclidean(x, DIM);
        List<Double> losses = new ArrayList<>();
        if (mined == null) {
            for (int a = 0; a < labels.length; a++) {
                for (int p = 0; p < labels.length; p++) {
                    for (int n = 0; n < labels.length; n++) {
                        if (p != a && labels[p] == labels[a] && labels[n] != labels[a]) {
                            losses.add(Naive.relu(d[a][p] - d[a][n] + margin));
                        }
                    }
                }
            }
        } else {
            for (int k = 0; k < mined.size(); k++) {
                losses.add(Naive.relu(d[mined.a()[k]][mined.p()[k]] - d[mined.a()[k]][mined.n()[k]] + margin));
            }
        }
        return Naive.avgNonZero(losses);
    }

    /** The cosine version with a mean reducer: {@code relu(s_an - s_ap + margin)}. */
    static double naiveCosineMean(double[] x, int[] labels, double margin) {
        double[][] s = Naive.cosine(x, DIM);
        List<Double> losses = new ArrayList<>();
        for (int a = 0; a < labels.length; a++) {
            for (int p = 0; p < labels.length; p++) {
                for (int n = 0; n < labels.length; n++) {
                    if (p != a && labels[p] == labels[a] && labels[n] != labels[a]) {
                        losses.add(Naive.relu(s[a][n] - s[a][p] + margin));
                    }
                }
            }
        }
        return Naive.mean(losses);
    }

    @Test
    void valueAndGradientMatchTheNaiveLoopOnAllTriplets() {
        float[] x = LossHarness.gaussian(5, LABELS.length * DIM);
        TripletMarginLoss loss = new TripletMarginLoss();
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null));
        assertThat(result.value()).isCloseTo(naive(LossHarness.toDouble(x), LABELS, 0.05, null), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naive(v, LABELS, 0.05, null), 1e-6));
    }

    @Test
    void minedTripletsOnly() {
        float[] x = LossHarness.gaussian(9, LABELS.length * DIM);
        Triplets mined = new Triplets(new int[] {0, 1, 2, 6}, new int[] {3, 4, 5, 0}, new int[] {1, 0, 7, 5});
        TripletMarginLoss loss = new TripletMarginLoss(0.4, new dev.realitycheck.loss.distance.LpDistance(),
                new AvgNonZeroReducer());
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) ->
                loss.build(tf, e, tf.constant(LABELS), mined.constants(tf)));
        assertThat(result.value()).isCloseTo(naive(LossHarness.toDouble(x), LABELS, 0.4, mined), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naive(v, LABELS, 0.4, mined), 1e-6));
    }

    @Test
    void minedPairsAreCombinedByAnchorLikePml() {
        float[] x = LossHarness.gaussian(13, LABELS.length * DIM);
        // positive pairs (0,3), (0,6), (1,4); negative pairs (0,1), (1,2), (5,0): triplets 0-3-1, 0-6-1, 1-4-2
        Pairs pairs = new Pairs(new int[] {0, 0, 1}, new int[] {3, 6, 4}, new int[] {0, 1, 5}, new int[] {1, 2, 0});
        Triplets expected = new Triplets(new int[] {0, 0, 1}, new int[] {3, 6, 4}, new int[] {1, 1, 2});
        TripletMarginLoss loss = new TripletMarginLoss(0.5, new dev.realitycheck.loss.distance.LpDistance(),
                new AvgNonZeroReducer());
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) ->
                loss.build(tf, e, tf.constant(LABELS), pairs.constants(tf)));
        assertThat(result.value()).isCloseTo(naive(LossHarness.toDouble(x), LABELS, 0.5, expected), within(1e-5));
    }

    @Test
    void cosineSimilarityMirrorsTheMargin() {
        float[] x = LossHarness.gaussian(17, LABELS.length * DIM);
        TripletMarginLoss loss = new TripletMarginLoss(0.1, new CosineSimilarity(), new MeanReducer());
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null));
        assertThat(result.value()).isCloseTo(naiveCosineMean(LossHarness.toDouble(x), LABELS, 0.1), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(
                LossHarness.toDouble(x), v -> naiveCosineMean(v, LABELS, 0.1), 1e-6));
    }

    @Test
    void rejectsNonFiniteMargin() {
        assertThatThrownBy(() -> new TripletMarginLoss(Double.POSITIVE_INFINITY, new CosineSimilarity(),
                new MeanReducer())).hasMessageContaining("margin").hasMessageContaining("Infinity");
    }
}
