package dev.realitycheck.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A multi-layer perceptron trunk: flatten, then for each hidden width a dense layer with ReLU
 * ({@code dense<i>_kernel} {@code [in, out]}, {@code dense<i>_bias} {@code [out]}), then a linear
 * embedder ({@code embedder_kernel}, {@code embedder_bias}).
 *
 * <p>Row-major: a layer computes {@code y = relu(x · kernel + bias)} with {@code x} a row of the
 * batch; an image input is flattened in its {@code [H, W, C]} order.
 *
 * @param input         the input of one item
 * @param hidden        the widths of the hidden layers, each positive; may be empty (a linear model)
 * @param embeddingSize the width of the embedder; positive
 */
public record MlpArchitecture(InputSpec input, List<Integer> hidden, int embeddingSize) implements Architecture {

    /** Validates the components and copies the widths. */
    public MlpArchitecture {
        Objects.requireNonNull(input, "input");
        hidden = List.copyOf(Objects.requireNonNull(hidden, "hidden"));
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) <= 0) {
                throw new IllegalArgumentException("hidden width " + i + " must be positive, was " + hidden.get(i));
            }
        }
        if (embeddingSize <= 0) {
            throw new IllegalArgumentException("embeddingSize must be positive, was " + embeddingSize);
        }
    }

    @Override
    public ModelSpec spec() {
        return new ModelSpec(input, embeddingSize);
    }

    @Override
    public List<VariableSpec> variables() {
        List<VariableSpec> variables = new ArrayList<>();
        int in = input.size();
        for (int i = 0; i < hidden.size(); i++) {
            int out = hidden.get(i);
            variables.add(new VariableSpec("dense" + i + "_kernel", List.of(in, out), Initializer.GLOROT_UNIFORM));
            variables.add(new VariableSpec("dense" + i + "_bias", List.of(out), Initializer.ZEROS));
            in = out;
        }
        variables.add(new VariableSpec("embedder_kernel", List.of(in, embeddingSize), Initializer.GLOROT_UNIFORM));
        variables.add(new VariableSpec("embedder_bias", List.of(embeddingSize), Initializer.ZEROS));
        return List.copyOf(variables);
    }

    /** Always: the MLP has no BatchNorm. */
    @Override
    public boolean rowsIndependent(BatchNormMode batchNorm) {
        return true;
    }

    /** Every variable trained; the MLP has no BatchNorm, so {@code batchNorm} changes nothing. */
    @Override
    public TrainingTrunk trainingTrunk(Ops tf, Operand<TFloat32> input,
                                       Map<String, ? extends Operand<TFloat32>> variables, BatchNormMode batchNorm) {
        Operand<TFloat32> x = tf.reshape(input, tf.constant(new long[] {-1, this.input.size()}));
        for (int i = 0; i < hidden.size(); i++) {
            x = tf.nn.relu(dense(tf, x, variables, "dense" + i));
        }
        return new TrainingTrunk(dense(tf, x, variables, "embedder"), Set.of(), Map.of());
    }

    static Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, Map<String, ? extends Operand<TFloat32>> variables,
                                   String layer) {
        return tf.nn.biasAdd(tf.linalg.matMul(x, variables.get(layer + "_kernel")), variables.get(layer + "_bias"));
    }
}
