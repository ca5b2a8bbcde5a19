package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Runs a loss graph on fixed inputs and compares it with a naive double-precision reference. */
final class LossHarness {

    /** The loss value and its gradient with respect to the embeddings, from TensorFlow. */
    record Evaluated(double value, double[] gradient) {
    }

    /** Builds the loss on the tuples the given function makes (may return null). */
    interface Builder {
        Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Map<String, Operand<TFloat32>> parameters);
    }

    private LossHarness() {
    }

    /** Seeded Gaussian values. */
    static float[] gaussian(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            // Box-Muller
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            values[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return values;
    }

    /** Loss and gradient with respect to {@code embeddings} (and to each named parameter, appended in order). */
    static Evaluated evaluate(float[] embeddings, int dim, Map<String, float[]> parameterValues,
                              Map<String, long[]> parameterShapes, Builder builder) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            int b = embeddings.length / dim;
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(b, dim)));
            Map<String, Operand<TFloat32>> parameters = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : parameterShapes.entrySet()) {
                parameters.put(e.getKey(), tf.withName(e.getKey())
                        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(e.getValue()))));
            }
            Operand<TFloat32> loss = builder.build(tf, x, parameters);
            List<Operand<?>> wrt = new java.util.ArrayList<>();
            wrt.add(x);
            wrt.addAll(parameters.values());
            var gradients = tf.gradients(loss, wrt);
            List<TFloat32> fed = new java.util.ArrayList<>();
            try (Session session = new Session(graph)) {
                Session.Runner runner = session.runner();
                TFloat32 xt = TFloat32.tensorOf(Shape.of(b, dim), DataBuffers.of(embeddings, true, false));
                fed.add(xt);
                runner.feed(x, xt);
                for (Map.Entry<String, Operand<TFloat32>> e : parameters.entrySet()) {
                    TFloat32 t = TFloat32.tensorOf(Shape.of(parameterShapes.get(e.getKey())),
                            DataBuffers.of(parameterValues.get(e.getKey()), true, false));
                    fed.add(t);
                    runner.feed(e.getValue(), t);
                }
                runner.fetch(loss);
                for (int i = 0; i < wrt.size(); i++) {
                    runner.fetch(gradients.dy(i));
                }
                try (Result result = runner.run()) {
                    double value = ((TFloat32) result.get(0)).getFloat();
                    int total = 0;
                    for (int i = 1; i < result.size(); i++) {
                        total += (int) result.get(i).shape().size();
                    }
                    double[] gradient = new double[total];
                    int at = 0;
                    for (int i = 1; i < result.size(); i++) {
                        TFloat32 g = (TFloat32) result.get(i);
                        float[] values = new float[(int) g.shape().size()];
                        g.asRawTensor().data().asFloats().read(values);
                        for (float v : values) {
                            gradient[at++] = v;
                        }
                    }
                    return new Evaluated(value, gradient);
                }
            } finally {
                fed.forEach(TFloat32::close);
            }
        }
    }

    /** Loss and gradient for a loss without parameters. */
    static Evaluated evaluate(float[] embeddings, int dim, Builder builder) {
        return evaluate(embeddings, dim, Map.of(), Map.of(), builder);
    }

    /** Central finite differences of a naive function of all inputs, step {@code h}. */
    static double[] finiteDifferences(double[] inputs, Function<double[], Double> f, double h) {
        double[] gradient = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            double[] plus = inputs.clone();
            double[] minus = inputs.clone();
            plus[i] += h;
            minus[i] -= h;
            gradient[i] = (f.apply(plus) - f.apply(minus)) / (2 * h);
        }
        return gradient;
    }

    /** Asserts the two gradients agree to {@code 1e-3} relative to the larger of |g| and 1% of the largest entry. */
    static void assertGradientsClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double largest = 0;
        for (double g : expected) {
            largest = Math.max(largest, Math.abs(g));
        }
        assertThat(largest).as("the gradient must not vanish for the test to mean anything").isGreaterThan(1e-4);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-3 * Math.max(Math.abs(expected[i]), 0.01 * largest) + 1e-6;
            assertThat(actual[i]).as("gradient entry %d (TF %s, finite differences %s)", i, actual[i], expected[i])
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
