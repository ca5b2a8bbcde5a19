package dev.realitycheck.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The inference graph of an {@link Architecture}: placeholder {@code images} -> preprocessing ->
 * trunk -> L2 normalisation, output op {@code embeddings} (or the architecture on top of a feature
 * extractor's graph, {@link #onTop}); each variable a {@code VariableV2}
 * (the only kind TensorFlow Java 1.1.0 saves) named as its {@link VariableSpec}.
 *
 * <p>Variables get their values from {@link #assign}, which feeds them through a placeholder
 * ({@code <name>_init_value}) to an {@code Assign} op ({@code <name>_init}). Weights are not
 * graph constants (as {@code Ops.variable(init)} would make them): they live once, in the
 * SavedModel's {@code variables/}, not a second time in {@code saved_model.pb}.
 */
final class EmbeddingGraph {

    /** Python's {@code tf.math.l2_normalize} default: rows with a smaller squared norm are not blown up. */
    static final float L2_EPSILON = 1e-12f;

    private final Operand<TFloat32> images;
    private final Operand<TFloat32> embeddings;
    private final Map<String, Placeholder<TFloat32>> initValues = new LinkedHashMap<>();
    private final Map<String, Assign<TFloat32>> initOps = new LinkedHashMap<>();

    /**
     * @param images   the signature's input, or {@code null} for a new placeholder {@code images}
     * @param features what the trunk takes instead of the preprocessed placeholder, or {@code null}
     */
    private EmbeddingGraph(Graph graph, Architecture architecture, Operand<TFloat32> images,
                           Operand<TFloat32> features) {
        Ops tf = Ops.create(graph);
        ModelSpec spec = architecture.spec();
        this.images = images != null ? images : tf.withName(EmbedSignature.INPUT)
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(spec.input().batchShape())));
        Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
        for (VariableSpec v : architecture.variables()) {
            Shape shape = Shape.of(v.dims());
            Variable<TFloat32> variable = tf.withName(v.name()).variable(shape, TFloat32.class);
            Placeholder<TFloat32> value = tf.withName(v.name() + "_init_value")
                    .placeholder(TFloat32.class, Placeholder.shape(shape));
            variables.put(v.name(), variable);
            initValues.put(v.name(), value);
            initOps.put(v.name(), tf.withName(v.name() + "_init").assign(variable, value));
        }
        Operand<TFloat32> x = features != null ? features : preprocess(tf, this.images, spec.input());
        Operand<TFloat32> y = architecture.trunk(tf, x, variables);
        Operand<TFloat32> squaredNorm = tf.reduceSum(tf.math.square(y), tf.constant(1), ReduceSum.keepDims(true));
        Operand<TFloat32> inverseNorm = tf.math.rsqrt(tf.math.maximum(squaredNorm, tf.constant(L2_EPSILON)));
        embeddings = tf.withName(EmbedSignature.OUTPUT).math.mul(y, inverseNorm);
    }

    /** Adds the inference graph of {@code architecture} to an empty {@code graph}. */
    static EmbeddingGraph build(Graph graph, Architecture architecture) {
        return new EmbeddingGraph(graph, architecture, null, null);
    }

    /**
     * Adds {@code architecture} (whose input is a feature vector) on top of features already in
     * {@code graph}: the signature takes {@code images}, the graph's existing input, and the
     * architecture takes {@code features} as they are (no preprocessing of its own).
     */
    static EmbeddingGraph onTop(Graph graph, Architecture architecture, Operand<TFloat32> images,
                                Operand<TFloat32> features) {
        return new EmbeddingGraph(graph, architecture, images, features);
    }

    private static Operand<TFloat32> preprocess(Ops tf, Operand<TFloat32> raw, InputSpec input) {
        Preprocessing p = input.preprocessing();
        if (p.isIdentity()) {
            return raw;
        }
        int channels = p.channels();
        float[] a = new float[channels];
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = p.multiplier(c);
            b[c] = p.offset(c);
        }
        return tf.math.add(tf.math.mul(raw, tf.constant(a)), tf.constant(b));
    }

    /**
     * Writes {@code weights} into the variables in one run, closing every tensor (one run per
     * variable made TensorFlow prune the graph once per variable: slow for hundreds of them).
     */
    void assign(Session session, Weights weights) {
        java.util.List<TFloat32> tensors = new java.util.ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (Map.Entry<String, Assign<TFloat32>> e : initOps.entrySet()) {
                Placeholder<TFloat32> value = initValues.get(e.getKey());
                TFloat32 t = TFloat32.tensorOf(value.shape(), DataBuffers.of(weights.view(e.getKey()), true, false));
                tensors.add(t);
                runner.feed(value, t).addTarget(e.getValue());
            }
            try (Result done = runner.run()) {
                assert done.size() == 0;
            }
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    /** @return the {@value EmbedSignature#KEY} signature: {@code images} in, {@code embeddings} out */
    Signature signature() {
        return Signature.builder()
                .key(EmbedSignature.KEY)
                .methodName(EmbedSignature.METHOD)
                .input(EmbedSignature.INPUT, images)
                .output(EmbedSignature.OUTPUT, embeddings)
                .build();
    }
}
