package dev.realitycheck.loss;

import dev.realitycheck.loss.reducer.MeanReducer;
import dev.realitycheck.loss.reducer.Reducer;
import dev.realitycheck.model.VariableSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * CosFace (large margin cosine loss, Wang et al. 2018), as pytorch-metric-learning's
 * {@code CosFaceLoss}: softmax cross-entropy over {@code scale · (cos(e_i, w_c) - margin·[c = y_i])}
 * with a learned class-weight matrix {@link #WEIGHTS} {@code [D, C]}, columns normalised. Mined
 * tuples are ignored.
 *
 * @param numClasses    at least 2
 * @param embeddingSize positive
 * @param margin        finite; PML default 0.35
 * @param scale         positive and finite; PML default 64
 * @param reducer       over the batch; PML default {@link MeanReducer}
 */
public record CosFaceLoss(int numClasses, int embeddingSize, double margin, double scale, Reducer reducer)
        implements Loss {

    /** The name of the class-weight parameter. */
    public static final String WEIGHTS = "loss_class_weights";

    /** Validates the sizes, margin and scale. */
    public CosFaceLoss {
        ClassWeights.spec(WEIGHTS, embeddingSize, numClasses);
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be finite, was " + margin);
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, was " + scale);
        }
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults: margin 0.35, scale 64, mean. */
    public CosFaceLoss(int numClasses, int embeddingSize) {
        this(numClasses, embeddingSize, 0.35, 64, new MeanReducer());
    }

    @Override
    public List<VariableSpec> parameters() {
        return List.of(ClassWeights.spec(WEIGHTS, embeddingSize, numClasses));
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> weights = ClassWeights.get(parameters, parameters().getFirst());
        Operand<TFloat32> oneHot = ClassWeights.oneHot(tf, labels, numClasses);
        Operand<TFloat32> cosine = ClassWeights.cosine(tf, embeddings, weights);
        Operand<TFloat32> logits = tf.math.mul(tf.math.sub(cosine, tf.math.mul(oneHot, tf.constant((float) margin))),
                tf.constant((float) scale));
        return reducer.reduce(tf, ClassWeights.crossEntropy(tf, logits, oneHot));
    }
}
