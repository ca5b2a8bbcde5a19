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
 * The normalised softmax loss (Zhai &amp; Wu 2018), as pytorch-metric-learning's
 * {@code NormalizedSoftmaxLoss}: softmax cross-entropy over the logits {@code cos(e_i, w_c) / T}
 * with a learned class-weight matrix {@link #WEIGHTS} {@code [D, C]} whose columns are normalised.
 * Mined tuples are ignored (a classification loss uses every element).
 *
 * @param numClasses    at least 2
 * @param embeddingSize positive
 * @param temperature   positive and finite; PML default 0.05
 * @param reducer       over the batch; PML default {@link MeanReducer}
 */
public record NormalizedSoftmaxLoss(int numClasses, int embeddingSize, double temperature, Reducer reducer)
        implements Loss {

    /** The name of the class-weight parameter. */
    public static final String WEIGHTS = "loss_class_weights";

    /** Validates the sizes and the temperature. */
    public NormalizedSoftmaxLoss {
        ClassWeights.spec(WEIGHTS, embeddingSize, numClasses);
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, was " + temperature);
        }
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults: temperature 0.05, mean. */
    public NormalizedSoftmaxLoss(int numClasses, int embeddingSize) {
        this(numClasses, embeddingSize, 0.05, new MeanReducer());
    }

    @Override
    public List<VariableSpec> parameters() {
        return List.of(ClassWeights.spec(WEIGHTS, embeddingSize, numClasses));
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> weights = ClassWeights.get(parameters, parameters().getFirst());
        Operand<TFloat32> logits = tf.math.mul(ClassWeights.cosine(tf, embeddings, weights),
                tf.constant((float) (1 / temperature)));
        return reducer.reduce(tf, ClassWeights.crossEntropy(tf, logits, ClassWeights.oneHot(tf, labels, numClasses)));
    }
}
