package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.loss.reducer.MeanReducer;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The classification losses against naive loops: value, and gradient with respect to both the
 * embeddings and the class weights (the naive functions take both, concatenated).
 */
class ClassificationLossTest {

    static final int B = 8;
    static final int D = 4;
    static final int C = 3;
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1};

    /** {@code [B][C]} cosines between rows of x and columns of w, read from {@code v = x ++ w}. */
    static double[][] cosines(double[] v) {
        double[][] cos = new double[B][C];
        for (int i = 0; i < B; i++) {
            for (int c = 0; c < C; c++) {
                double dot = 0;
                double xx = 0;
                double ww = 0;
                for (int k = 0; k < D; k++) {
                    double xi = v[i * D + k];
                    double wc = v[B * D + k * C + c];
                    dot += xi * wc;
                    xx += xi * xi;
                    ww += wc * wc;
                }
                cos[i][c] = dot / (Math.sqrt(xx) * Math.sqrt(ww));
            }
        }
        return cos;
    }

    /** Mean softmax cross-entropy of per-row logits made from the cosines. */
    static double meanCrossEntropy(double[] v, BiFunction<Double, Boolean, Double> logit) {
        double[][] cos = cosines(v);
        double total = 0;
        for (int i = 0; i < B; i++) {
            double sum = 0;
            double target = 0;
            for (int c = 0; c < C; c++) {
                double l = logit.apply(cos[i][c], c == LABELS[i]);
                sum += Math.exp(l);
                if (c == LABELS[i]) {
                    target = l;
                }
            }
            total += Math.log(sum) - target;
        }
        return total / B;
    }

    static void check(Loss loss, String parameter, BiFunction<Double, Boolean, Double> logit, long seed) {
        check(loss, parameter, logit, LossHarness.gaussian(seed, B * D), LossHarness.gaussian(seed + 1000, D * C));
    }

    static void check(Loss loss, String parameter, BiFunction<Double, Boolean, Double> logit, float[] x, float[] w) {
        var result = LossHarness.evaluate(x, D, Map.of(parameter, w), Map.of(parameter, new long[] {D, C}),
                (tf, e, p) -> loss.build(tf, e, tf.constant(LABELS), null, p));
        double[] v = new double[B * D + D * C];
        System.arraycopy(LossHarness.toDouble(x), 0, v, 0, B * D);
        System.arraycopy(LossHarness.toDouble(w), 0, v, B * D, D * C);
        double expected = meanCrossEntropy(v, logit);
        assertThat(result.value()).isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
        LossHarness.assertGradientsClose(result.gradient(),
                LossHarness.finiteDifferences(v, u -> meanCrossEntropy(u, logit), 1e-6));
    }

    @Test
    void normalizedSoftmax() {
        check(new NormalizedSoftmaxLoss(C, D), NormalizedSoftmaxLoss.WEIGHTS, (cos, target) -> cos / 0.05, 41);
    }

    @Test
    void cosFace() {
        check(new CosFaceLoss(C, D), CosFaceLoss.WEIGHTS, (cos, target) -> 64 * (cos - (target ? 0.35 : 0)), 42);
    }

    /** PML's ArcFace target logit, unscaled: {@code cos(θ + m)} up to {@code θ = π - m}, then {@code cos θ - m sin m}. */
    static double arcFaceTarget(double cos, double m) {
        double angle = Math.acos(Math.max(-1, Math.min(1, cos)));
        return angle <= Math.PI - m ? Math.cos(angle + m) : Math.cos(angle) - m * Math.sin(m);
    }

    @Test
    void arcFace() {
        double m = Math.toRadians(28.6);
        check(new ArcFaceLoss(C, D), ArcFaceLoss.WEIGHTS,
                (cos, target) -> 64 * (target ? arcFaceTarget(cos, m) : cos), 43);
    }

    @Test
    void arcFaceWithSmallerScale() {
        double m = Math.toRadians(10);
        check(new ArcFaceLoss(C, D, 10, 4, new MeanReducer()), ArcFaceLoss.WEIGHTS,
                (cos, target) -> 4 * (target ? arcFaceTarget(cos, m) : cos), 44);
    }

    @Test
    void arcFaceTakesPmlsBranchForTargetAnglesPastPiMinusMargin() {
        double m = Math.toRadians(28.6);
        float[] w = LossHarness.gaussian(1043, D * C);
        float[] x = LossHarness.gaussian(43, B * D);
        // rows 0, 1 and 2 point (nearly) away from their class column: θ near π, past π - m
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < D; k++) {
                x[i * D + k] = -w[k * C + LABELS[i]] + 0.05f * x[i * D + k];
            }
        }
        double[] v = new double[B * D + D * C];
        System.arraycopy(LossHarness.toDouble(x), 0, v, 0, B * D);
        System.arraycopy(LossHarness.toDouble(w), 0, v, B * D, D * C);
        double[][] cos = cosines(v);
        long past = 0;
        for (int i = 0; i < B; i++) {
            past += Math.acos(cos[i][LABELS[i]]) > Math.PI - m ? 1 : 0;
        }
        assertThat(past).as("target angles past pi - m").isGreaterThanOrEqualTo(3);

        check(new ArcFaceLoss(C, D, 28.6, 4, new MeanReducer()), ArcFaceLoss.WEIGHTS,
                (c, target) -> 4 * (target ? arcFaceTarget(c, m) : c), x, w);
        // the old formula, cos(θ + m) everywhere, gives another loss on these inputs
        double plain = meanCrossEntropy(v, (c, target) -> 4 * (target ? Math.cos(Math.acos(c) + m) : c));
        double pml = meanCrossEntropy(v, (c, target) -> 4 * (target ? arcFaceTarget(c, m) : c));
        assertThat(Math.abs(plain - pml)).isGreaterThan(0.1);
    }

    @Test
    void proxyNca() {
        check(new ProxyNCALoss(C, D), ProxyNCALoss.PROXIES, (cos, target) -> -(2 - 2 * cos), 45);
        check(new ProxyNCALoss(C, D, 3, new MeanReducer()), ProxyNCALoss.PROXIES, (cos, target) -> -3 * (2 - 2 * cos),
                46);
    }

    @Test
    void parametersAreDeclaredAndRequired() {
        Loss loss = new CosFaceLoss(5, 16);
        assertThat(loss.parameters()).singleElement().satisfies(spec -> {
            assertThat(spec.name()).isEqualTo(CosFaceLoss.WEIGHTS);
            assertThat(spec.shape()).containsExactly(16, 5);
        });
        assertThat(new ContrastiveLoss().parameters()).isEmpty();
        assertThatThrownBy(() -> LossHarness.evaluate(new float[4], 4, (tf, e, p) ->
                loss.build(tf, e, tf.constant(new int[] {0}), null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pass them to build");
        assertThatThrownBy(() -> LossHarness.evaluate(new float[4], 4, (tf, e, p) ->
                loss.build(tf, e, tf.constant(new int[] {0}), null, Map.of())))
                .hasMessageContaining("missing loss parameter " + CosFaceLoss.WEIGHTS);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new ArcFaceLoss(1, 4)).hasMessageContaining("numClasses").hasMessageContaining("1");
        assertThatThrownBy(() -> new CosFaceLoss(3, 0)).hasMessageContaining("embeddingSize")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> new NormalizedSoftmaxLoss(3, 4, -1, new MeanReducer()))
                .hasMessageContaining("temperature").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new ProxyNCALoss(3, 4, Double.NaN, new MeanReducer()))
                .hasMessageContaining("softmaxScale").hasMessageContaining("NaN");
    }
}
