package dev.realitycheck.model;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The layers of an embedding network, apart from its weights: which variables it has and how it
 * maps a batch of preprocessed inputs to (not yet normalised) embeddings.
 *
 * <p>{@link EmbeddingGraph} wraps the trunk with the input placeholder, the
 * {@link Preprocessing} and the final L2 normalisation, so implementations describe only the
 * layers in between. The trainer builds its training graph from the same variable names, so that
 * its weights export into the inference graph unchanged.
 */
public sealed interface Architecture
        permits MlpArchitecture, CnnArchitecture, ResNetArchitecture, BnInceptionArchitecture {

    /** @return the input, preprocessing and embedding size of the model */
    ModelSpec spec();

    /** @return the variables in a fixed order (the order {@link Weights#initial} draws them in) */
    List<VariableSpec> variables();

    /**
     * Adds the trunk to a graph for inference: {@link #trainingTrunk} with BatchNorm using its moving
     * statistics ({@link BatchNormMode#FROZEN}).
     *
     * @param tf        the graph's ops, scoped where the trunk goes
     * @param input     preprocessed inputs, {@code [-1, ...spec().input().shape()]}
     * @param variables one operand per {@link #variables()} name
     * @return the embeddings before L2 normalisation, {@code [-1, spec().embeddingSize()]}
     */
    default Operand<TFloat32> trunk(Ops tf, Operand<TFloat32> input, Map<String, ? extends Operand<TFloat32>> variables) {
        return trainingTrunk(tf, input, variables, BatchNormMode.FROZEN).output();
    }

    /**
     * Adds the trunk as a training graph uses it (see {@link BatchNormMode} for how BatchNorm layers
     * train; an architecture without BatchNorm ignores the mode).
     *
     * @param tf        the graph's ops
     * @param input     preprocessed inputs, {@code [-1, ...spec().input().shape()]}
     * @param variables one operand (a read) per {@link #variables()} name
     * @param batchNorm how BatchNorm layers train
     * @return the embeddings before L2 normalisation, the variables no gradient trains and the values
     *         assigned after a step
     */
    TrainingTrunk trainingTrunk(Ops tf, Operand<TFloat32> input,
                                Map<String, ? extends Operand<TFloat32>> variables, BatchNormMode batchNorm);

    /**
     * Whether each row's output of {@link #trainingTrunk} depends on that input row alone under
     * {@code batchNorm} (no statistics of the batch), so that the batch may run through the trunk
     * in parts. False unless an architecture says so.
     *
     * @param batchNorm how BatchNorm layers train
     * @return true when the rows are independent
     */
    default boolean rowsIndependent(BatchNormMode batchNorm) {
        return false;
    }

    /**
     * True for the variables of the embedder, the last (linear) layer that maps the trunk's features
     * to the embedding; every architecture names them {@code embedder_*}. The trainer gives them
     * their own learning rate.
     */
    static boolean isEmbedderVariable(String name) {
        return name.startsWith("embedder_");
    }
}
