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
 * SoftTriple (Qian et al. 2019), as pytorch-metric-learning's {@code SoftTripleLoss}: K learned
 * centres per class, the columns of {@link #CENTERS} {@code [D, C·K]} (column {@code c·K + k});
 * the similarity to a class is {@code Σ_k softmax_k(s_ick / γ) · s_ick}, and the loss is softmax
 * cross-entropy over {@code λ · (S_ic - margin·[c = y_i])}. No centre regulariser (PML's default
 * has none). Mined tuples are ignored.
 *
 * @param numClasses      at least 2
 * @param embeddingSize   positive
 * @param centersPerClass K, positive; PML default 10
 * @param la              λ, positive and finite; PML default 20
 * @param gamma           γ, positive and finite; PML default 0.1
 * @param margin          finite; PML default 0.01
 * @param reducer         over the batch; PML default {@link MeanReducer}
 */
public record SoftTripleLoss(int numClasses, int embeddingSize, int centersPerClass, double la, double gamma,
                             double margin, Reducer reducer) implements Loss {

    /** The name of the centre parameter. */
    public static final String CENTERS = "loss_centers";

    /** Validates every setting. */
    public SoftTripleLoss {
        ClassWeights.spec(CENTERS, embeddingSize, numClasses);
        if (centersPerClass <= 0) {
            throw new IllegalArgumentException("centersPerClass must be positive, was " + centersPerClass);
        }
        if (!(la > 0) || !Double.isFinite(la)) {
            throw new IllegalArgumentException("la must be positive and finite, was " + la);
        }
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be positive and finite, was " + gamma);
        }
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be finite, was " + margin);
        }
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults: 10 centres per class, λ 20, γ 0.1, margin 0.01, mean. */
    public SoftTripleLoss(int numClasses, int embeddingSize) {
        this(numClasses, embeddingSize, 10, 20, 0.1, 0.01, new MeanReducer());
    }

    /** PML: {@code kaiming_uniform_(a=sqrt(5))} on its {@code [D, C*K]} centers. */
    @Override
    public dev.realitycheck.model.Initializer pytorchInitializer(VariableSpec parameter) {
        return dev.realitycheck.model.Initializer.UNIFORM_LAST;
    }

    @Override
    public List<VariableSpec> parameters() {
        return List.of(new VariableSpec(CENTERS, List.of(embeddingSize, Math.multiplyExact(numClasses, centersPerClass)),
                dev.realitycheck.model.Initializer.GLOROT_UNIFORM));
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> centers = ClassWeights.get(parameters, parameters().getFirst());
        Operand<TFloat32> toCenters = tf.reshape(ClassWeights.cosine(tf, embeddings, centers),
                tf.constant(new int[] {-1, numClasses, centersPerClass}));
        Operand<TFloat32> weights = tf.nn.softmax(tf.math.mul(toCenters, tf.constant((float) (1 / gamma))));
        Operand<TFloat32> toClasses = tf.reduceSum(tf.math.mul(weights, toCenters), tf.constant(2));
        Operand<TFloat32> oneHot = ClassWeights.oneHot(tf, labels, numClasses);
        Operand<TFloat32> logits = tf.math.mul(tf.constant((float) la),
                tf.math.sub(toClasses, tf.math.mul(oneHot, tf.constant((float) margin))));
        return reducer.reduce(tf, ClassWeights.crossEntropy(tf, logits, oneHot));
    }
}
