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
 * ProxyNCA (Movshovitz-Attias et al. 2017), as pytorch-metric-learning's {@code ProxyNCALoss} with
 * its default distance (squared Euclidean between normalised vectors): one learned proxy per class,
 * the columns of {@link #PROXIES} {@code [D, C]}, and per embedding
 * {@code -log softmax_c(-softmaxScale · ||ê_i - p̂_c||²)[y_i]}, with {@code ||ê - p̂||² = 2 - 2 cos}.
 * PML drops elements whose softmax underflows to exactly 0; computed in log space here, they keep
 * their (large, finite) loss. Mined tuples are ignored.
 *
 * @param numClasses    at least 2
 * @param embeddingSize positive
 * @param softmaxScale  positive and finite; PML default 1
 * @param reducer       over the batch; PML default {@link MeanReducer}
 */
public record ProxyNCALoss(int numClasses, int embeddingSize, double softmaxScale, Reducer reducer)
        implements Loss {

    /** The name of the proxy parameter, one column per class. */
    public static final String PROXIES = "loss_proxies";

    /** Validates the sizes and the scale. */
    public ProxyNCALoss {
        ClassWeights.spec(PROXIES, embeddingSize, numClasses);
        if (!(softmaxScale > 0) || !Double.isFinite(softmaxScale)) {
            throw new IllegalArgumentException("softmaxScale must be positive and finite, was " + softmaxScale);
        }
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults: softmax scale 1, mean. */
    public ProxyNCALoss(int numClasses, int embeddingSize) {
        this(numClasses, embeddingSize, 1, new MeanReducer());
    }

    @Override
    public List<VariableSpec> parameters() {
        return List.of(ClassWeights.spec(PROXIES, embeddingSize, numClasses));
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> proxies = ClassWeights.get(parameters, parameters().getFirst());
        Operand<TFloat32> cosine = ClassWeights.cosine(tf, embeddings, proxies);
        Operand<TFloat32> squaredDistance = tf.math.sub(tf.constant(2f), tf.math.mul(tf.constant(2f), cosine));
        Operand<TFloat32> logits = tf.math.mul(squaredDistance, tf.constant((float) -softmaxScale));
        return reducer.reduce(tf, ClassWeights.crossEntropy(tf, logits, ClassWeights.oneHot(tf, labels, numClasses)));
    }
}
