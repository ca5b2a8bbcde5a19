package dev.realitycheck.loss;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import dev.realitycheck.model.VariableSpec;

/**
 * A metric-learning loss, built as graph ops from a batch of embeddings and their labels, composed
 * like pytorch-metric-learning's: an embedding loss takes a {@link dev.realitycheck.loss.distance.Distance}
 * and a {@link dev.realitycheck.loss.reducer.Reducer}, and uses either the tuples a
 * {@link dev.realitycheck.loss.miner.Miner} found or, without one, every pair or triplet of the batch.
 *
 * <p>Classification losses (proxies, class weights) have trainable parameters of their own: they
 * list them in {@link #parameters()}, the trainer creates one variable per spec (and trains it with
 * its own optimizer and learning rate) and passes the variables, by name, to {@link #build}.
 * Embedding losses have none.
 */
public interface Loss {

    /**
     * Adds the loss to a graph.
     *
     * @param tf         the graph builder
     * @param embeddings {@code [B, D]} float32, the network's output (losses normalise as their
     *                   distance says; they do not assume unit rows)
     * @param labels     {@code [B]} int32 class labels
     * @param mined      the tuples to use, or {@code null} for every pair/triplet of the batch;
     *                   pair losses accept triplets (as pairs (a, p), (a, n)) and triplet losses
     *                   accept pairs (combined by shared anchor), as pytorch-metric-learning does
     * @param parameters one operand per {@link #parameters()} spec, by name (empty if none)
     * @return the scalar loss
     */
    Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                            Map<String, ? extends Operand<TFloat32>> parameters);

    /**
     * {@link #build(Ops, Operand, Operand, TupleIndices, Map)} for a loss without parameters.
     *
     * @throws IllegalStateException if this loss has parameters
     */
    default Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels,
                                    TupleIndices mined) {
        if (!parameters().isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName() + " has parameters " + parameters()
                    + "; pass them to build");
        }
        return build(tf, embeddings, labels, mined, Map.of());
    }

    /** @return the loss's own trainable variables (proxies, class weights); empty for embedding losses */
    default List<VariableSpec> parameters() {
        return List.of();
    }

    /**
     * How pytorch-metric-learning initialises one of {@link #parameters()}, for the setting
     * {@code initialization: pytorch}: by default {@code normal_} (PML's {@code WeightRegularizerMixin}:
     * class weights of normalised softmax, CosFace, ArcFace, ProxyNCA's proxies) for what is Glorot
     * uniform here, and the parameter's own initializer otherwise (Margin's beta offsets).
     */
    default dev.realitycheck.model.Initializer pytorchInitializer(VariableSpec parameter) {
        return parameter.initializer() == dev.realitycheck.model.Initializer.GLOROT_UNIFORM
                ? dev.realitycheck.model.Initializer.STANDARD_NORMAL : parameter.initializer();
    }
}
