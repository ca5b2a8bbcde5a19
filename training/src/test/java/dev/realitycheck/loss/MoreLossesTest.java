package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.loss.distance.LpDistance;
import dev.realitycheck.loss.distance.SnrDistance;
import dev.realitycheck.loss.reducer.AvgNonZeroReducer;
import dev.realitycheck.loss.reducer.MeanReducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ProxyAnchor, SoftTriple, Margin, SNR contrastive and FastAP against naive loops. */
class MoreLossesTest {

    static final int B = 8;
    static final int D = 4;
    static final int C = 3;
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1};

    static double[] concat(float[] a, float[] b) {
        double[] v = new double[a.length + b.length];
        System.arraycopy(LossHarness.toDouble(a), 0, v, 0, a.length);
        System.arraycopy(LossHarness.toDouble(b), 0, v, a.length, b.length);
        return v;
    }

    /** {@code [B][columns]} cosines between rows of x and columns of w, from {@code v = x ++ w}. */
    static double[][] cosines(double[] v, int columns) {
        double[][] cos = new double[B][columns];
        for (int i = 0; i < B; i++) {
            for (int c = 0; c < columns; c++) {
                double dot = 0;
                double xx = 0;
                double ww = 0;
                for (int k = 0; k < D; k++) {
                    double xi = v[i * D + k];
                    double wc = v[B * D + k * columns + c];
                    dot += xi * wc;
                    xx += xi * xi;
                    ww += wc * wc;
                }
                cos[i][c] = dot / Math.sqrt(xx * ww);
            }
        }
        return cos;
    }

    static double proxyAnchor(double[] v, double margin, double alpha) {
        double[][] s = cosines(v, C);
        double pos = 0;
        double neg = 0;
        int present = 0;
        for (int c = 0; c < C; c++) {
            double ps = 0;
            double ns = 0;
            boolean any = false;
            for (int i = 0; i < B; i++) {
                if (LABELS[i] == c) {
                    ps += Math.exp(-alpha * (s[i][c] - margin));
                    any = true;
                } else {
                    ns += Math.exp(alpha * (s[i][c] + margin));
                }
            }
            present += any ? 1 : 0;
            pos += Math.log1p(ps);
            neg += Math.log1p(ns);
        }
        return pos / present + neg / C;
    }

    @Test
    void proxyAnchor() {
        float[] x = LossHarness.gaussian(51, B * D);
        float[] w = LossHarness.gaussian(52, D * C);
        for (double[] setting : new double[][] {{0.1, 32}, {0.3, 4}}) {
            ProxyAnchorLoss loss = new ProxyAnchorLoss(C, D, setting[0], setting[1]);
            var result = LossHarness.evaluate(x, D, Map.of(ProxyAnchorLoss.PROXIES, w),
                    Map.of(ProxyAnchorLoss.PROXIES, new long[] {D, C}),
                    (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null, p));
            double[] v = concat(x, w);
            double expected = proxyAnchor(v, setting[0], setting[1]);
            assertThat(result.value()).isCloseTo(expected, within(1e-5 * Math.max(1, expected)));
            LossHarness.assertGradientsClose(result.gradient(),
                    LossHarness.finiteDifferences(v, u -> proxyAnchor(u, setting[0], setting[1]), 1e-6));
        }
    }

    static double softTriple(double[] v, int k, double la, double gamma, double margin) {
        double[][] s = cosines(v, C * k);
        double total = 0;
        for (int i = 0; i < B; i++) {
            double[] logits = new double[C];
            for (int c = 0; c < C; c++) {
                double norm = 0;
                double weighted = 0;
                for (int j = 0; j < k; j++) {
                    double e = Math.exp(s[i][c * k + j] / gamma);
                    norm += e;
                    weighted += e * s[i][c * k + j];
                }
                logits[c] = la * (weighted / norm - (c == LABELS[i] ? margin : 0));
            }
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l);
            }
            total += Math.log(sum) - logits[LABELS[i]];
        }
        return total / B;
    }

    @Test
    void softTriple() {
        int k = 2;
        float[] x = LossHarness.gaussian(53, B * D);
        float[] w = LossHarness.gaussian(54, D * C * k);
        SoftTripleLoss loss = new SoftTripleLoss(C, D, k, 20, 0.1, 0.01, new MeanReducer());
        var result = LossHarness.evaluate(x, D, Map.of(SoftTripleLoss.CENTERS, w),
                Map.of(SoftTripleLoss.CENTERS, new long[] {D, C * k}),
                (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null, p));
        double[] v = concat(x, w);
        double expected = softTriple(v, k, 20, 0.1, 0.01);
        assertThat(result.value()).isCloseTo(expected, within(1e-5 * Math.max(1, expected)));
        LossHarness.assertGradientsClose(result.gradient(),
                LossHarness.finiteDifferences(v, u -> softTriple(u, k, 20, 0.1, 0.01), 1e-6));
        assertThat(new SoftTripleLoss(5, 16).parameters().getFirst().shape()).containsExactly(16, 50);
    }

    /** Margin loss over all triplets; {@code betas} per class (or one), read from the tail of v when learned. */
    static double margin(double[] v, double margin, double nu, double[] betas) {
        double[][] d = Naive.euclidean(java.util.Arrays.copyOf(v, B * D), D);
        double sum = 0;
        int nonZero = 0;
        double regulariser = 0;
        for (int a = 0; a < B; a++) {
            for (int p = 0; p < B; p++) {
                for (int n = 0; n < B; n++) {
                    if (p == a || LABELS[p] != LABELS[a] || LABELS[n] == LABELS[a]) {
                        continue;
                    }
                    double beta = betas.length == 1 ? betas[0] : betas[LABELS[a]];
                    double pos = Naive.relu(d[a][p] - beta + margin);
                    double neg = Naive.relu(beta - d[a][n] + margin);
                    nonZero += (pos > 0 ? 1 : 0) + (neg > 0 ? 1 : 0);
                    sum += pos + neg;
                    regulariser += beta;
                }
            }
        }
        double loss = nonZero == 0 ? 0 : sum / nonZero;
        if (betas.length == 1) {
            return loss + nu * betas[0];
        }
        return loss + (nonZero == 0 ? 0 : nu * regulariser / nonZero);
    }

    @Test
    void marginWithFixedBeta() {
        float[] x = LossHarness.gaussian(55, B * D);
        var result = LossHarness.evaluate(x, D, (tf, e, p) -> new MarginLoss().build(tf, e, tf.constant(LABELS), null));
        double[] v = LossHarness.toDouble(x);
        assertThat(result.value()).isCloseTo(margin(v, 0.2, 0, new double[] {1.2}), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(),
                LossHarness.finiteDifferences(v, u -> margin(u, 0.2, 0, new double[] {1.2}), 1e-6));
    }

    @Test
    void marginWithLearnedBetaPerClass() {
        float[] x = LossHarness.gaussian(56, B * D);
        float[] offsets = {0.1f, -0.2f, 0.05f};
        MarginLoss loss = new MarginLoss(0.2, 0.3, 1.0, true, C, new LpDistance());
        assertThat(loss.parameters()).singleElement().satisfies(s -> assertThat(s.shape()).containsExactly(C));
        var result = LossHarness.evaluate(x, D, Map.of(MarginLoss.BETA, offsets), Map.of(MarginLoss.BETA, new long[] {C}),
                (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null, p));
        double[] v = concat(x, offsets);
        java.util.function.Function<double[], Double> naive = u -> margin(u, 0.2, 0.3,
                new double[] {1.0 + u[B * D], 1.0 + u[B * D + 1], 1.0 + u[B * D + 2]});
        assertThat(result.value()).isCloseTo(naive.apply(v), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(v, naive, 1e-6));
    }

    @Test
    void marginWithOneLearnedBeta() {
        float[] x = LossHarness.gaussian(57, B * D);
        float[] offset = {0.15f};
        MarginLoss loss = new MarginLoss(0.2, 0.1, 1.2, true, 0, new LpDistance());
        var result = LossHarness.evaluate(x, D, Map.of(MarginLoss.BETA, offset), Map.of(MarginLoss.BETA, new long[] {1}),
                (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null, p));
        double[] v = concat(x, offset);
        java.util.function.Function<double[], Double> naive = u -> margin(u, 0.2, 0.1, new double[] {1.2 + u[B * D]});
        assertThat(result.value()).isCloseTo(naive.apply(v), within(1e-5));
        LossHarness.assertGradientsClose(result.gradient(), LossHarness.finiteDifferences(v, naive, 1e-6));
    }

    static double snrContrastive(double[] x, double posMargin, double negMargin) {
        double[] y = Naive.normalize(x, D);
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (int i = 0; i < B; i++) {
            for (int j = 0; j < B; j++) {
                if (i == j && LABELS[i] == LABELS[j]) {
                    continue;
                }
                double[] diff = new double[D];
                double[] anchor = new double[D];
                for (int k = 0; k < D; k++) {
                    diff[k] = y[i * D + k] - y[j * D + k];
                    anchor[k] = y[i * D + k];
                }
                double snr = variance(diff) / variance(anchor);
                if (LABELS[i] == LABELS[j]) {
                    pos.add(Naive.relu(snr - posMargin));
                } else {
                    neg.add(Naive.relu(negMargin - snr));
                }
            }
        }
        return Naive.avgNonZero(pos) + Naive.avgNonZero(neg);
    }

    /** Unbiased variance, as torch.var. */
    static double variance(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double s = 0;
        for (double e : v) {
            s += (e - mean) * (e - mean);
        }
        return s / (v.length - 1);
    }

    @Test
    void snrContrastive() {
        float[] x = LossHarness.gaussian(58, B * D);
        for (double[] margins : new double[][] {{0, 1}, {0.5, 1.5}}) {
            SnrContrastiveLoss loss = new SnrContrastiveLoss(margins[0], margins[1], new AvgNonZeroReducer());
            var result = LossHarness.evaluate(x, D, (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null));
            double[] v = LossHarness.toDouble(x);
            assertThat(result.value()).isCloseTo(snrContrastive(v, margins[0], margins[1]), within(1e-5));
            LossHarness.assertGradientsClose(result.gradient(),
                    LossHarness.finiteDifferences(v, u -> snrContrastive(u, margins[0], margins[1]), 1e-6));
        }
        // the plain-Java matrix agrees with the naive formula too
        double[] m = new SnrDistance().matrix(x, D);
        double[] y = Naive.normalize(LossHarness.toDouble(x), D);
        double[] diff = new double[D];
        double[] anchor = new double[D];
        for (int k = 0; k < D; k++) {
            diff[k] = y[2 * D + k] - y[5 * D + k];
            anchor[k] = y[2 * D + k];
        }
        assertThat(m[2 * B + 5]).isCloseTo(variance(diff) / variance(anchor), within(1e-12));
    }

    static double fastAp(double[] x, int bins) {
        double[][] d = Naive.euclidean(x, D);
        double delta = 4.0 / bins;
        double total = 0;
        int anchors = 0;
        for (int i = 0; i < B; i++) {
            double[] hPos = new double[bins + 1];
            double[] hAll = new double[bins + 1];
            int nPos = 0;
            for (int j = 0; j < B; j++) {
                if (j == i) {
                    continue;
                }
                nPos += LABELS[j] == LABELS[i] ? 1 : 0;
                for (int b = 0; b <= bins; b++) {
                    double pulse = Naive.relu(1 - Math.abs(d[i][j] * d[i][j] - b * delta) / delta);
                    if (LABELS[j] == LABELS[i]) {
                        hPos[b] += pulse;
                    }
                    hAll[b] += pulse;
                }
            }
            if (nPos == 0) {
                continue;
            }
            double cumPos = 0;
            double cumAll = 0;
            double ap = 0;
            for (int b = 0; b <= bins; b++) {
                cumPos += hPos[b];
                cumAll += hAll[b];
                double product = hPos[b] * cumPos;
                if (product > 0 && cumAll > 0) {
                    ap += product / cumAll;
                }
            }
            total += 1 - ap / nPos;
            anchors++;
        }
        return total / anchors;
    }

    @Test
    void fastAp() {
        float[] x = LossHarness.gaussian(59, B * D);
        for (int bins : new int[] {10, 4}) {
            FastAPLoss loss = new FastAPLoss(bins, new MeanReducer());
            var result = LossHarness.evaluate(x, D, (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null));
            double[] v = LossHarness.toDouble(x);
            assertThat(result.value()).isCloseTo(fastAp(v, bins), within(1e-5));
            LossHarness.assertGradientsClose(result.gradient(),
                    LossHarness.finiteDifferences(v, u -> fastAp(u, bins), 1e-6));
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new FastAPLoss(0, new MeanReducer())).hasMessageContaining("numBins")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> new ProxyAnchorLoss(3, 4, 0.1, 0)).hasMessageContaining("alpha")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> new SoftTripleLoss(3, 4, 0, 20, 0.1, 0.01, new MeanReducer()))
                .hasMessageContaining("centersPerClass").hasMessageContaining("0");
        assertThatThrownBy(() -> new MarginLoss(0.2, 0, 1.2, true, -1, new LpDistance()))
                .hasMessageContaining("numClasses").hasMessageContaining("-1");
        assertThatThrownBy(() -> new SnrContrastiveLoss(Double.NaN, 1, new AvgNonZeroReducer()))
                .hasMessageContaining("posMargin");
    }
}
