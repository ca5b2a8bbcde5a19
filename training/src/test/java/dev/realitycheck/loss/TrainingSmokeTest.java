package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.loss.miner.Miner;
import dev.realitycheck.loss.miner.TripletMarginMiner;
import dev.realitycheck.model.VariableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Every catalogued loss in a training graph: a linear embedder and the loss's own parameters as
 * {@code VariableV2}s, plain gradient descent on an explicit trainable list, mined tuples fed when a
 * miner is used. The loss on a fixed batch of three overlapping classes must fall.
 */
class TrainingSmokeTest {

    static final int IN = 6;
    static final int D = 4;
    static final int C = 3;
    static final int PER_CLASS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"contrastive", "triplet_margin", "triplet_margin+semihard", "ntxent", "multi_similarity",
            "margin", "snr_contrastive", "fastap", "proxy_nca", "proxy_anchor", "normalized_softmax", "cosface",
            "arcface", "soft_triple"})
    void lossFallsUnderGradientDescent(String name) {
        boolean mined = name.endsWith("+semihard");
        Loss loss = LossCatalog.create(mined ? name.substring(0, name.indexOf('+')) : name, Map.of(), C, D);
        Miner miner = mined ? new TripletMarginMiner(TripletMarginMiner.Type.SEMIHARD) : null;
        SplittableRandom random = new SplittableRandom(7);
        int b = C * PER_CLASS;
        int[] labels = new int[b];
        float[] inputs = new float[b * IN];
        float[][] centres = new float[C][IN];
        for (float[] centre : centres) {
            for (int k = 0; k < IN; k++) {
                centre[k] = (float) (2 * random.nextDouble() - 1);
            }
        }
        for (int i = 0; i < b; i++) {
            labels[i] = i % C;
            for (int k = 0; k < IN; k++) {
                inputs[i * IN + k] = centres[labels[i]][k] + (float) (1.5 * (2 * random.nextDouble() - 1));
            }
        }
        List<VariableSpec> specs = new ArrayList<>(loss.parameters());
        specs.addFirst(new VariableSpec("embedder_kernel", List.of(IN, D), dev.realitycheck.model.Initializer.GLOROT_UNIFORM));
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, IN)));
            Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
            // gradients are taken with respect to an Identity read of each variable: asking the
            // C++ gradient builder for d/d(VariableV2 ref output) crashed the JVM (SIGSEGV)
            Map<String, Operand<TFloat32>> reads = new LinkedHashMap<>();
            List<Op> inits = new ArrayList<>();
            for (VariableSpec spec : specs) {
                Variable<TFloat32> v = tf.withName(spec.name()).variable(Shape.of(spec.dims()), TFloat32.class);
                float[] values = new float[spec.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextDouble() - 0.5);
                }
                inits.add(tf.assign(v, tf.constant(Shape.of(spec.dims()), DataBuffers.of(values))));
                variables.put(spec.name(), v);
                reads.put(spec.name(), tf.identity(v));
            }
            Operand<TFloat32> embeddings = tf.linalg.matMul(x, reads.get("embedder_kernel"), MatMul.transposeA(false));
            Map<String, Operand<TFloat32>> parameters = new LinkedHashMap<>(reads);
            parameters.remove("embedder_kernel");
            TupleIndices.Placeholders tuples = mined ? TupleIndices.placeholders(tf, Triplets.class, "mined") : null;
            Operand<TFloat32> value = loss.build(tf, embeddings, tf.constant(labels),
                    tuples == null ? null : tuples.indices(), parameters);
            var gradients = tf.gradients(value, List.copyOf(reads.values()));
            List<Op> updates = new ArrayList<>();
            int i = 0;
            for (Variable<TFloat32> v : variables.values()) {
                updates.add(tf.assignSub(v, tf.math.mul(tf.constant(0.05f), gradients.<TFloat32>dy(i++))));
            }
            try (Session session = new Session(graph);
                 TFloat32 xt = TFloat32.tensorOf(Shape.of(b, IN), DataBuffers.of(inputs, true, false))) {
                Session.Runner init = session.runner();
                inits.forEach(init::addTarget);
                init.run().close();
                double first = Double.NaN;
                double last = Double.NaN;
                for (int step = 0; step < 60; step++) {
                    Session.Runner runner = session.runner().feed(x, xt);
                    List<Tensor> fed = List.of();
                    if (mined) {
                        float[] current;
                        try (Result r = session.runner().feed(x, xt).fetch(embeddings).run()) {
                            TFloat32 e = (TFloat32) r.get(0);
                            current = new float[(int) e.shape().size()];
                            e.asRawTensor().data().asFloats().read(current);
                        }
                        // mine once, then train and measure on the same tuples
                        fed = tuples.feed(runner, miner.mine(current, D, labels));
                    }
                    updates.forEach(runner::addTarget);
                    try (Result r = runner.fetch(value).run()) {
                        double v = ((TFloat32) r.get(0)).getFloat();
                        assertThat(v).as("%s step %d", name, step).isFinite();
                        if (step == 0) {
                            first = v;
                        }
                        last = v;
                    } finally {
                        fed.forEach(Tensor::close);
                    }
                }
                if (!mined) {
                    assertThat(last).as("%s: first %s, last %s", name, first, last).isLessThan(first);
                }
            }
        }
    }
}
