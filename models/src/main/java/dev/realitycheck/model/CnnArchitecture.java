package dev.realitycheck.model;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A small convolutional trunk: twice {conv 3x3 (SAME, stride 1, no bias) -> BatchNorm -> ReLU ->
 * max-pool 2x2 (stride 2, VALID)}, then flatten and a dense embedder.
 *
 * <p>BatchNorm ({@link BatchNorm}) has four variables per block: {@code bn<b>_gamma},
 * {@code bn<b>_beta}, {@code bn<b>_moving_mean}, {@code bn<b>_moving_variance}. The inference graph
 * ({@link #trunk}) normalises with the moving statistics; a training graph
 * ({@link #trainingTrunk}) either normalises with each batch's statistics, trains gamma and beta
 * and moves the moving statistics toward the batch's after each step
 * ({@link BatchNormMode#TRAINING}), or keeps the inference form with all four frozen
 * ({@link BatchNormMode#FROZEN}, the paper's setting). Kernels are {@code conv<b>_kernel} {@code [3, 3, in, out]} and
 * {@code embedder_kernel} {@code [(H/4)(W/4)channels2, E]} with {@code embedder_bias}.
 *
 * @param input         an image input {@code [H, W, C]} with H and W at least 4
 * @param channels1     output channels of the first convolution; positive
 * @param channels2     output channels of the second convolution; positive
 * @param embeddingSize the width of the embedder; positive
 */
public record CnnArchitecture(InputSpec input, int channels1, int channels2, int embeddingSize)
        implements Architecture {

    /** BatchNorm's epsilon, Keras' default. */
    public static final float BATCH_NORM_EPSILON = BatchNorm.EPSILON;

    /** Validates the components. */
    public CnnArchitecture {
        Objects.requireNonNull(input, "input");
        if (!input.isImage()) {
            throw new IllegalArgumentException("a CNN needs an image input [H, W, C], was " + input.shape());
        }
        if (input.shape().get(0) < 4 || input.shape().get(1) < 4) {
            throw new IllegalArgumentException("a CNN needs H and W of at least 4, was " + input.shape());
        }
        if (channels1 <= 0 || channels2 <= 0) {
            throw new IllegalArgumentException("channels must be positive, were " + channels1 + " and " + channels2);
        }
        if (embeddingSize <= 0) {
            throw new IllegalArgumentException("embeddingSize must be positive, was " + embeddingSize);
        }
    }

    @Override
    public ModelSpec spec() {
        return new ModelSpec(input, embeddingSize);
    }

    /** @return the number of values the second block leaves per item, the embedder's input width */
    public int flatSize() {
        return (input.shape().get(0) / 4) * (input.shape().get(1) / 4) * channels2;
    }

    @Override
    public List<VariableSpec> variables() {
        return List.of(
                new VariableSpec("conv1_kernel", List.of(3, 3, input.channels(), channels1), Initializer.GLOROT_UNIFORM),
                new VariableSpec("bn1_gamma", List.of(channels1), Initializer.ONES),
                new VariableSpec("bn1_beta", List.of(channels1), Initializer.ZEROS),
                new VariableSpec("bn1_moving_mean", List.of(channels1), Initializer.ZEROS),
                new VariableSpec("bn1_moving_variance", List.of(channels1), Initializer.ONES),
                new VariableSpec("conv2_kernel", List.of(3, 3, channels1, channels2), Initializer.GLOROT_UNIFORM),
                new VariableSpec("bn2_gamma", List.of(channels2), Initializer.ONES),
                new VariableSpec("bn2_beta", List.of(channels2), Initializer.ZEROS),
                new VariableSpec("bn2_moving_mean", List.of(channels2), Initializer.ZEROS),
                new VariableSpec("bn2_moving_variance", List.of(channels2), Initializer.ONES),
                new VariableSpec("embedder_kernel", List.of(flatSize(), embeddingSize), Initializer.GLOROT_UNIFORM),
                new VariableSpec("embedder_bias", List.of(embeddingSize), Initializer.ZEROS));
    }

    @Override
    public TrainingTrunk trainingTrunk(Ops tf, Operand<TFloat32> input,
                                       Map<String, ? extends Operand<TFloat32>> variables, BatchNormMode batchNorm) {
        Objects.requireNonNull(batchNorm, "batchNorm");
        Set<String> notTrained = new LinkedHashSet<>();
        Map<String, Operand<TFloat32>> assigned = new LinkedHashMap<>();
        Operand<TFloat32> x = input;
        for (int b = 1; b <= 2; b++) {
            String bn = "bn" + b;
            Operand<TFloat32> conv = tf.nn.conv2d(x, variables.get("conv" + b + "_kernel"), List.of(1L, 1L, 1L, 1L),
                    "SAME");
            Operand<TFloat32> normed;
            notTrained.add(bn + "_moving_mean");
            notTrained.add(bn + "_moving_variance");
            if (batchNorm == BatchNormMode.TRAINING) {
                BatchNorm.Training t = BatchNorm.training(tf, conv, variables.get(bn + "_gamma"),
                        variables.get(bn + "_beta"), variables.get(bn + "_moving_mean"),
                        variables.get(bn + "_moving_variance"));
                normed = t.output();
                assigned.put(bn + "_moving_mean", t.nextMovingMean());
                assigned.put(bn + "_moving_variance", t.nextMovingVariance());
            } else {
                normed = BatchNorm.inference(tf, conv, variables.get(bn + "_gamma"), variables.get(bn + "_beta"),
                        variables.get(bn + "_moving_mean"), variables.get(bn + "_moving_variance"));
                notTrained.add(bn + "_gamma");
                notTrained.add(bn + "_beta");
            }
            Operand<TFloat32> relu = tf.nn.relu(normed);
            x = Pooling.max(tf, relu, 2, 2, "VALID");
        }
        x = tf.reshape(x, tf.constant(new long[] {-1, flatSize()}));
        return new TrainingTrunk(MlpArchitecture.dense(tf, x, variables, "embedder"), notTrained, assigned);
    }
}
