package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@link BatchNorm}'s training and inference forms against a hand computation on a tiny batch. */
class BatchNormTest {

    static final int N = 3;
    static final int H = 2;
    static final int W = 3;
    static final int C = 2;
    static final int PER_CHANNEL = N * H * W;

    /** A batch {@code [3, 2, 3, 2]} whose channels have very different means and spreads. */
    static float[] batch() {
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[PER_CHANNEL * C];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % C == 0 ? (float) random.nextDouble(4, 6) : (float) random.nextDouble(-30, 10);
        }
        return x;
    }

    /** Runs the training form on {@link #batch()}; returns y, next moving mean, next moving variance. */
    static List<float[]> runTraining(float[] gamma, float[] beta, float[] movingMean, float[] movingVariance) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> x = tf.constant(Shape.of(N, H, W, C), DataBuffers.of(batch(), true, false));
            BatchNorm.Training t = BatchNorm.training(tf, x, tf.constant(gamma), tf.constant(beta),
                    tf.constant(movingMean), tf.constant(movingVariance));
            try (Session session = new Session(graph);
                 Result r = session.runner().fetch(t.output()).fetch(t.nextMovingMean())
                         .fetch(t.nextMovingVariance()).run()) {
                return List.of(floats(r.get(0)), floats(r.get(1)), floats(r.get(2)));
            }
        }
    }

    static float[] floats(org.tensorflow.Tensor tensor) {
        TFloat32 t = (TFloat32) tensor;
        float[] v = new float[(int) t.shape().size()];
        t.asRawTensor().data().asFloats().read(v);
        return v;
    }

    static double mean(float[] x, int channel) {
        double s = 0;
        for (int i = channel; i < x.length; i += C) {
            s += x[i];
        }
        return s / PER_CHANNEL;
    }

    static double biasedVariance(float[] x, int channel) {
        double m = mean(x, channel);
        double s = 0;
        for (int i = channel; i < x.length; i += C) {
            s += (x[i] - m) * (x[i] - m);
        }
        return s / PER_CHANNEL;
    }

    @Test
    void trainingFormNormalisesEachChannelWithTheBatchStatistics() {
        float[] x = batch();
        List<float[]> plain = runTraining(new float[] {1, 1}, new float[] {0, 0}, new float[] {0, 0},
                new float[] {1, 1});
        for (int c = 0; c < C; c++) {
            assertThat(mean(plain.get(0), c)).as("mean of channel %d", c).isCloseTo(0, within(1e-5));
            // (x - mean) / sqrt(var + eps) has variance var / (var + eps)
            double v = biasedVariance(x, c);
            assertThat(biasedVariance(plain.get(0), c)).as("variance of channel %d", c)
                    .isCloseTo(v / (v + BatchNorm.EPSILON), within(1e-4));
        }
        float[] gamma = {2f, 0.5f};
        float[] beta = {3f, -1f};
        float[] y = runTraining(gamma, beta, new float[] {7, 7}, new float[] {9, 9}).get(0);
        for (int i = 0; i < x.length; i++) {
            int c = i % C;
            double expected = gamma[c] * (x[i] - mean(x, c)) / Math.sqrt(biasedVariance(x, c) + BatchNorm.EPSILON)
                    + beta[c];
            assertThat((double) y[i]).as("y[%d]", i).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void movingStatisticsMoveTowardTheBatchStatistics() {
        float[] x = batch();
        float[] movingMean = {1f, -2f};
        float[] movingVariance = {0.5f, 4f};
        List<float[]> out = runTraining(new float[] {1, 1}, new float[] {0, 0}, movingMean, movingVariance);
        for (int c = 0; c < C; c++) {
            double unbiased = biasedVariance(x, c) * PER_CHANNEL / (PER_CHANNEL - 1);
            assertThat((double) out.get(1)[c]).as("moving mean %d", c)
                    .isCloseTo(BatchNorm.MOMENTUM * movingMean[c] + (1 - BatchNorm.MOMENTUM) * mean(x, c), within(1e-4));
            assertThat((double) out.get(2)[c]).as("moving variance %d", c)
                    .isCloseTo(BatchNorm.MOMENTUM * movingVariance[c] + (1 - BatchNorm.MOMENTUM) * unbiased,
                            within(1e-3));
            // closer to the batch than before
            assertThat(Math.abs(out.get(1)[c] - mean(x, c))).isLessThan(Math.abs(movingMean[c] - mean(x, c)));
        }
    }

    @Test
    void inferenceFormUsesTheMovingStatistics() {
        float[] x = batch();
        float[] gamma = {2f, 0.5f};
        float[] beta = {3f, -1f};
        float[] mean = {5f, -10f};
        float[] variance = {0.25f, 100f};
        float[] y;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> in = tf.constant(Shape.of(N, H, W, C), DataBuffers.of(x, true, false));
            Operand<TFloat32> out = BatchNorm.inference(tf, in, tf.constant(gamma), tf.constant(beta),
                    tf.constant(mean), tf.constant(variance));
            try (Session session = new Session(graph); Result r = session.runner().fetch(out).run()) {
                y = floats(r.get(0));
            }
        }
        for (int i = 0; i < x.length; i++) {
            int c = i % C;
            double expected = gamma[c] * (x[i] - mean[c]) / Math.sqrt(variance[c] + BatchNorm.EPSILON) + beta[c];
            assertThat((double) y[i]).as("y[%d]", i).isCloseTo(expected, within(1e-4));
        }
    }

    /** {@code sum_i weight_i * y_i} of the training form, in double. */
    static double weightedOutput(double[] x, double[] gamma, double[] beta, double[] weight) {
        double total = 0;
        for (int c = 0; c < C; c++) {
            double m = 0;
            for (int i = c; i < x.length; i += C) {
                m += x[i];
            }
            m /= PER_CHANNEL;
            double v = 0;
            for (int i = c; i < x.length; i += C) {
                v += (x[i] - m) * (x[i] - m);
            }
            v /= PER_CHANNEL;
            for (int i = c; i < x.length; i += C) {
                total += weight[i] * (gamma[c] * (x[i] - m) / Math.sqrt(v + BatchNorm.EPSILON) + beta[c]);
            }
        }
        return total;
    }

    @Test
    void trainingFormGradientsMatchFiniteDifferencesThroughTheBatchStatistics() {
        float[] x = batch();
        float[] gamma = {1.5f, 0.7f};
        float[] beta = {0.2f, -0.4f};
        SplittableRandom random = new SplittableRandom(5);
        float[] weight = new float[x.length];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextDouble(-1, 1);
        }
        float[] dx;
        float[] dGamma;
        float[] dBeta;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> in = tf.constant(Shape.of(N, H, W, C), DataBuffers.of(x, true, false));
            Operand<TFloat32> g = tf.constant(gamma);
            Operand<TFloat32> b = tf.constant(beta);
            BatchNorm.Training t = BatchNorm.training(tf, in, g, b, tf.constant(new float[] {0, 0}),
                    tf.constant(new float[] {1, 1}));
            Operand<TFloat32> w = tf.constant(Shape.of(N, H, W, C), DataBuffers.of(weight, true, false));
            Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(t.output(), w), tf.constant(new int[] {0, 1, 2, 3}));
            var grads = tf.gradients(loss, List.of(in, g, b));
            try (Session session = new Session(graph);
                 Result r = session.runner().fetch(grads.dy(0)).fetch(grads.dy(1)).fetch(grads.dy(2)).run()) {
                dx = floats(r.get(0));
                dGamma = floats(r.get(1));
                dBeta = floats(r.get(2));
            }
        }
        double[] xd = new double[x.length];
        double[] wd = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
            wd[i] = weight[i];
        }
        double[] gd = {gamma[0], gamma[1]};
        double[] bd = {beta[0], beta[1]};
        double h = 1e-5;
        for (int i = 0; i < x.length; i++) {
            double keep = xd[i];
            xd[i] = keep + h;
            double up = weightedOutput(xd, gd, bd, wd);
            xd[i] = keep - h;
            double down = weightedOutput(xd, gd, bd, wd);
            xd[i] = keep;
            assertThat((double) dx[i]).as("d/dx[%d]", i).isCloseTo((up - down) / (2 * h), within(2e-3));
        }
        for (int c = 0; c < C; c++) {
            double keep = gd[c];
            gd[c] = keep + h;
            double up = weightedOutput(xd, gd, bd, wd);
            gd[c] = keep - h;
            double down = weightedOutput(xd, gd, bd, wd);
            gd[c] = keep;
            assertThat((double) dGamma[c]).as("d/dgamma[%d]", c).isCloseTo((up - down) / (2 * h), within(2e-3));
            double dBetaExpected = 0;
            for (int i = c; i < x.length; i += C) {
                dBetaExpected += weight[i];
            }
            assertThat((double) dBeta[c]).as("d/dbeta[%d]", c).isCloseTo(dBetaExpected, within(1e-4));
        }
    }
}
