package dev.realitycheck.loss;

import dev.realitycheck.model.VariableSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Proxy-Anchor (Kim et al. 2020), as pytorch-metric-learning's {@code ProxyAnchorLoss} with its
 * defaults (cosine similarity, divisor reduction): one learned proxy per class, the columns of
 * {@link #PROXIES} {@code [D, C]}, and
 * <pre>
 *   (1/|P+|) Σ_{c in P+} log(1 + Σ_{i: y_i = c} exp(-α (s_ic - δ)))
 * + (1/C)    Σ_c        log(1 + Σ_{i: y_i != c} exp( α (s_ic + δ)))
 * </pre>
 * where P+ are the classes present in the batch. The divisors change with every batch, so the
 * reduction is built in rather than a {@link dev.realitycheck.loss.reducer.Reducer}. Mined tuples
 * are ignored.
 *
 * @param numClasses    at least 2
 * @param embeddingSize positive
 * @param margin        δ, finite; PML default 0.1
 * @param alpha         positive and finite; PML default 32
 */
public record ProxyAnchorLoss(int numClasses, int embeddingSize, double margin, double alpha) implements Loss {

    /** The name of the proxy parameter, one column per class. */
    public static final String PROXIES = "loss_proxies";

    /** Validates the sizes, margin and alpha. */
    public ProxyAnchorLoss {
        ClassWeights.spec(PROXIES, embeddingSize, numClasses);
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be finite, was " + margin);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be positive and finite, was " + alpha);
        }
    }

    /** PML's defaults: margin 0.1, alpha 32. */
    public ProxyAnchorLoss(int numClasses, int embeddingSize) {
        this(numClasses, embeddingSize, 0.1, 32);
    }

    /** PML: {@code kaiming_normal_(mode="fan_out")} on its {@code [C, D]} proxies. */
    @Override
    public dev.realitycheck.model.Initializer pytorchInitializer(VariableSpec parameter) {
        return dev.realitycheck.model.Initializer.KAIMING_NORMAL_LAST;
    }

    @Override
    public List<VariableSpec> parameters() {
        return List.of(ClassWeights.spec(PROXIES, embeddingSize, numClasses));
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> proxies = ClassWeights.get(parameters, parameters().getFirst());
        Operand<TFloat32> oneHot = ClassWeights.oneHot(tf, labels, numClasses);
        Operand<TInt32> transpose = tf.constant(new int[] {1, 0});
        Operand<TBool> positiveMask = tf.linalg.transpose(tf.math.greater(oneHot, tf.constant(0f)), transpose);
        Operand<TBool> negativeMask = tf.math.logicalNot(positiveMask);
        Operand<TFloat32> cosine = tf.linalg.transpose(ClassWeights.cosine(tf, embeddings, proxies), transpose); // [C, B]
        Operand<TFloat32> alphaConstant = tf.constant((float) alpha);
        Operand<TFloat32> positiveTerms = GraphTuples.logSumExp(tf,
                tf.math.mul(alphaConstant, tf.math.sub(tf.constant((float) margin), cosine)), positiveMask, true);
        Operand<TFloat32> negativeTerms = GraphTuples.logSumExp(tf,
                tf.math.mul(alphaConstant, tf.math.add(cosine, tf.constant((float) margin))), negativeMask, true);
        Operand<TFloat32> classesPresent = tf.reduceSum(tf.reduceMax(oneHot, tf.constant(0)), tf.constant(0));
        Operand<TFloat32> positiveLoss = tf.math.div(tf.reduceSum(positiveTerms, tf.constant(0)),
                tf.math.maximum(classesPresent, tf.constant(1f)));
        Operand<TFloat32> negativeLoss = tf.math.div(tf.reduceSum(negativeTerms, tf.constant(0)),
                tf.constant((float) numClasses));
        return tf.math.add(positiveLoss, negativeLoss);
    }
}
