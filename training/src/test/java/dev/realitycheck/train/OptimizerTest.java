package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Each optimizer's graph update against the same formula computed in plain Java, two steps on
 * {@code L = sum(c w² + d w) + sum(c p²)}, where {@code w} is trained by the optimizer under test
 * and {@code p} by a second one (SGD with momentum), as loss parameters are; and the
 * {@link UpdateSettings} (warm-up, clipping by global norm over both) against the same in Java.
 */
class OptimizerTest {

    static final float[] W0 = {0.5f, -1f, 2f};
    static final float[] P0 = {1f, -0.25f};
    static final float[] C = {0.3f, 1.2f, 0.7f};
    static final float[] D = {0.1f, -0.4f, 0.2f};

    /** The rule applied in Java to one element: returns the new value, updating {@code state}. */
    interface Rule {
        double step(double w, double g, double[] state, int t);
    }

    static double[][] graphSteps(Optimizer optimizer, Optimizer second, int steps) {
        return graphSteps(optimizer, second, steps, UpdateSettings.NONE);
    }

    static double[][] graphSteps(Optimizer optimizer, Optimizer second, int steps, UpdateSettings settings) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            VariableStore store = new VariableStore(tf);
            store.create("w", new long[] {3});
            store.create("p", new long[] {2});
            Operand<TFloat32> w = store.read("w");
            Operand<TFloat32> p = store.read("p");
            Operand<TFloat32> loss = tf.math.add(
                    tf.reduceSum(tf.math.add(tf.math.mul(tf.constant(C), tf.math.square(w)), tf.math.mul(tf.constant(D), w)),
                            tf.constant(0)),
                    tf.reduceSum(tf.math.mul(tf.constant(new float[] {C[0], C[1]}), tf.math.square(p)), tf.constant(0)));
            var gradients = tf.gradients(loss, List.of(w, p));
            Op train = ParameterUpdates.build(tf, store,
                    List.of(new ParameterUpdates.Group(optimizer, List.of("w")),
                            new ParameterUpdates.Group(second, List.of("p"))),
                    Map.of("w", gradients.dy(0), "p", gradients.dy(1)), Map.of(), List.of(loss), settings);
            try (Session session = new Session(graph)) {
                Map<String, float[]> init = new java.util.HashMap<>();
                for (String name : store.names()) {
                    init.put(name, new float[store.size(name)]);
                }
                init.put("w", W0.clone());
                init.put("p", P0.clone());
                store.assign(session, init);
                for (int s = 0; s < steps; s++) {
                    session.runner().addTarget(train).run().close();
                }
                var values = store.values(session);
                assertThat(values.get(ParameterUpdates.STEP)[0]).isEqualTo((float) steps);
                return new double[][] {toDouble(values.get("w")), toDouble(values.get("p"))};
            }
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static double[] javaSteps(float[] start, float[] c, float[] d, Rule rule, int stateSize, int steps) {
        double[] w = toDouble(start);
        double[][] state = new double[w.length][stateSize];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < w.length; i++) {
                double g = 2 * c[i] * w[i] + (d == null ? 0 : d[i]);
                w[i] = rule.step(w[i], g, state[i], t);
            }
        }
        return w;
    }

    static Rule sgd(double lr, double momentum, double decay) {
        return (w, g, s, t) -> {
            g += decay * w;
            s[0] = momentum * s[0] + g;
            return w - lr * s[0];
        };
    }

    static void check(Optimizer optimizer, Rule rule, int stateSize) {
        Sgd second = new Sgd(0.1f, 0.5f, 0f);
        double[][] graph = graphSteps(optimizer, second, 2);
        double[] w = javaSteps(W0, C, D, rule, stateSize, 2);
        double[] p = javaSteps(P0, new float[] {C[0], C[1]}, null, sgd(0.1, 0.5, 0), 1, 2);
        for (int i = 0; i < w.length; i++) {
            assertThat(graph[0][i]).as("w[%d]", i).isCloseTo(w[i], within(1e-6));
        }
        for (int i = 0; i < p.length; i++) {
            assertThat(graph[1][i]).as("p[%d]", i).isCloseTo(p[i], within(1e-6));
        }
        assertThat(graph[0][0]).isNotEqualTo((double) W0[0]);
    }

    @Test
    void adamMatchesJava() {
        double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8, decay = 0.01;
        check(new Adam(0.05f, 0.9f, 0.999f, 1e-8f, 0.01f), (w, g, s, t) -> {
            g += decay * w;
            s[0] = b1 * s[0] + (1 - b1) * g;
            s[1] = b2 * s[1] + (1 - b2) * g * g;
            double denominator = Math.sqrt(s[1]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            return w - lr / (1 - Math.pow(b1, t)) * s[0] / denominator;
        }, 2);
    }

    @Test
    void rmsPropMatchesJava() {
        double lr = 0.01, alpha = 0.99, eps = 1e-8, decay = 0.001;
        check(new RmsProp(0.01f, 0.99f, 1e-8f, 0.001f), (w, g, s, t) -> {
            g += decay * w;
            s[0] = alpha * s[0] + (1 - alpha) * g * g;
            return w - lr * g / (Math.sqrt(s[0]) + eps);
        }, 1);
    }

    @Test
    void sgdWithMomentumMatchesJava() {
        check(new Sgd(0.2f, 0.9f, 0.05f), sgd(0.2, 0.9, 0.05), 1);
    }

    @Test
    void updatesAreBitwiseRepeatable() {
        Adam adam = Adam.of(0.1f);
        double[][] a = graphSteps(adam, RmsProp.of(0.1f), 5);
        double[][] b = graphSteps(adam, RmsProp.of(0.1f), 5);
        assertThat(a[0]).containsExactly(b[0]);
        assertThat(a[1]).containsExactly(b[1]);
    }

    @Test
    void badHyperparametersNameTheValue() {
        assertThatThrownBy(() -> new Adam(-1f, 0.9f, 0.999f, 1e-8f, 0f)).hasMessageContaining("learningRate")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new Adam(1f, 1f, 0.999f, 1e-8f, 0f)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new RmsProp(1f, 1.5f, 1e-8f, 0f)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new Sgd(1f, 0.9f, Float.NaN)).hasMessageContaining("weightDecay");
    }

    @Test
    void rmsPropWithMomentumAndDecayMatchesJava() {
        double lr = 0.01, alpha = 0.99, eps = 1e-8, decay = 1e-4, momentum = 0.9;
        RmsProp paper = new RmsProp(0.01f, 0.99f, 1e-8f, 1e-4f, 0.9f);
        assertThat(paper.slots()).containsExactly("square_avg", "momentum_buffer");
        check(paper, (w, g, s, t) -> {
            g += decay * w;
            s[0] = alpha * s[0] + (1 - alpha) * g * g;
            s[1] = momentum * s[1] + g / (Math.sqrt(s[0]) + eps);
            return w - lr * s[1];
        }, 2);
    }

    /** Both variables' rules and the clipping in Java: {@code clip} 0 for none. */
    static double[][] javaJoint(Rule forW, Rule forP, double clip, int steps) {
        double[] w = toDouble(W0);
        double[] p = toDouble(P0);
        double[][] sw = new double[w.length][2];
        double[][] sp = new double[p.length][2];
        for (int t = 1; t <= steps; t++) {
            double[] gw = new double[w.length];
            double[] gp = new double[p.length];
            double squares = 0;
            for (int i = 0; i < w.length; i++) {
                gw[i] = 2 * C[i] * w[i] + D[i];
                squares += gw[i] * gw[i];
            }
            for (int i = 0; i < p.length; i++) {
                gp[i] = 2 * C[i] * p[i];
                squares += gp[i] * gp[i];
            }
            double factor = clip == 0 ? 1 : Math.min(1, clip / (Math.sqrt(squares) + 1e-6));
            for (int i = 0; i < w.length; i++) {
                w[i] = forW.step(w[i], gw[i] * factor, sw[i], t);
            }
            for (int i = 0; i < p.length; i++) {
                p[i] = forP.step(p[i], gp[i] * factor, sp[i], t);
            }
        }
        return new double[][] {w, p};
    }

    static void assertClose(double[][] graph, double[][] java) {
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < java[v].length; i++) {
                assertThat(graph[v][i]).as("variable %d [%d]", v, i).isCloseTo(java[v][i], within(1e-6));
            }
        }
    }

    @Test
    void warmUpRaisesEveryLearningRateLinearly() {
        int warmup = 4;
        java.util.function.IntToDoubleFunction factor = t -> Math.min(1.0, t / (double) warmup);
        Rule sgdW = (w, g, s, t) -> {
            g += 0.05 * w;
            s[0] = 0.9 * s[0] + g;
            return w - 0.2 * factor.applyAsDouble(t) * s[0];
        };
        Rule rmsP = (w, g, s, t) -> {
            s[0] = 0.99 * s[0] + 0.01 * g * g;
            return w - 0.01 * factor.applyAsDouble(t) * g / (Math.sqrt(s[0]) + 1e-8);
        };
        for (int steps : new int[] {1, 3, 6}) { // inside the warm-up and past it
            double[][] graph = graphSteps(new Sgd(0.2f, 0.9f, 0.05f), RmsProp.of(0.01f), steps, new UpdateSettings(warmup, 0f));
            assertClose(graph, javaJoint(sgdW, rmsP, 0, steps));
        }
        double[][] plain = graphSteps(new Sgd(0.2f, 0.9f, 0.05f), RmsProp.of(0.01f), 1);
        double[][] warm = graphSteps(new Sgd(0.2f, 0.9f, 0.05f), RmsProp.of(0.01f), 1, new UpdateSettings(warmup, 0f));
        assertThat(W0[0] - warm[0][0]).as("a quarter of the step").isCloseTo((W0[0] - plain[0][0]) / 4, within(1e-6));
    }

    @Test
    void clippingScalesAllGradientsByOneGlobalNormBeforeDecay() {
        double lr = 0.01, alpha = 0.99, eps = 1e-8, decay = 1e-4, momentum = 0.9;
        Rule rmsW = (w, g, s, t) -> {
            g += decay * w;
            s[0] = alpha * s[0] + (1 - alpha) * g * g;
            s[1] = momentum * s[1] + g / (Math.sqrt(s[0]) + eps);
            return w - lr * s[1];
        };
        Rule sgdP = (w, g, s, t) -> w - 0.1 * g;
        // the first gradient's global norm is about 4.2: 0.5 clips it, 100 does not
        for (double clip : new double[] {0.5, 100}) {
            double[][] graph = graphSteps(new RmsProp(0.01f, 0.99f, 1e-8f, 1e-4f, 0.9f), new Sgd(0.1f, 0f, 0f), 3,
                    new UpdateSettings(0, (float) clip));
            assertClose(graph, javaJoint(rmsW, sgdP, clip, 3));
        }
        double[][] plain = graphSteps(new Sgd(0.1f, 0f, 0f), new Sgd(0.1f, 0f, 0f), 1);
        double[][] clipped = graphSteps(new Sgd(0.1f, 0f, 0f), new Sgd(0.1f, 0f, 0f), 1, new UpdateSettings(0, 0.5f));
        double norm = 0;
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < plain[v].length; i++) {
                double step = (v == 0 ? W0[i] : P0[i]) - clipped[v][i];
                norm += step * step;
            }
        }
        assertThat(Math.sqrt(norm) / 0.1).as("the clipped gradient's global norm").isCloseTo(0.5, within(1e-5));
    }

    @Test
    void aLearningRateOfZeroLeavesItsVariablesExactly() {
        double[][] graph = graphSteps(new Adam(0f, 0.9f, 0.999f, 1e-8f, 1e-4f), new Sgd(0.1f, 0.5f, 0f), 3,
                new UpdateSettings(2, 1f));
        assertThat(graph[0]).containsExactly(toDouble(W0));
        assertThat(graph[1]).doesNotContain(P0[0]);
    }

    @Test
    void badUpdateSettingsNameTheValue() {
        assertThatThrownBy(() -> new UpdateSettings(-1, 0f)).hasMessageContaining("warmupIterations");
        assertThatThrownBy(() -> new UpdateSettings(0, Float.NaN)).hasMessageContaining("maxGradientNorm");
        assertThatThrownBy(() -> new RmsProp(1f, 0.99f, 1e-8f, 0f, 1f)).hasMessageContaining("momentum");
    }
}
