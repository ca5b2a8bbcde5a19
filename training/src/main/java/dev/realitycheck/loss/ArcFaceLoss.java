package dev.realitycheck.loss;

import dev.realitycheck.loss.reducer.MeanReducer;
import dev.realitycheck.loss.reducer.Reducer;
import dev.realitycheck.model.VariableSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ArcFace (additive angular margin, Deng et al. 2019), as pytorch-metric-learning's
 * {@code ArcFaceLoss}: softmax cross-entropy over {@code scale · cos(θ_ic + m·[c = y_i])}, where
 * {@code θ_ic} is the angle between the embedding and the normalised column c of the learned
 * class-weight matrix {@link #WEIGHTS} {@code [D, C]}. Mined tuples are ignored.
 *
 * <p>{@code cos(θ + m)} is computed as {@code cos θ cos m - sin θ sin m} with
 * {@code sin θ = sqrt(1 - cos² θ)} (θ in [0, π]): the same value as PML's {@code cos(acos(c) + m)}
 * without {@code acos}, whose derivative is infinite at ±1; the root is a "safe" one (0 with
 * gradient 0 where {@code cos² θ >= 1}).
 *
 * <p>Past {@code π - m}, where {@code cos(θ + m)} would grow again with θ, the target logit takes
 * PML's branch {@code cos θ - m·sin m} instead (PML: "keep the cost function monotonically
 * decreasing"): {@code θ <= π - m} is {@code cos θ >= -cos m} for {@code m} in [0, π]; with
 * {@code m > π} no angle qualifies, with {@code m < 0} every angle does.
 *
 * @param numClasses    at least 2
 * @param embeddingSize positive
 * @param marginDegrees the angular margin in degrees, finite; PML default 28.6 (0.5 rad)
 * @param scale         positive and finite; PML default 64
 * @param reducer       over the batch; PML default {@link MeanReducer}
 */
public record ArcFaceLoss(int numClasses, int embeddingSize, double marginDegrees, double scale, Reducer reducer)
        implements Loss {

    /** The name of the class-weight parameter. */
    public static final String WEIGHTS = "loss_class_weights";

    /** Validates the sizes, margin and scale. */
    public ArcFaceLoss {
        ClassWeights.spec(WEIGHTS, embeddingSize, numClasses);
        if (!Double.isFinite(marginDegrees)) {
            throw new IllegalArgumentException("marginDegrees must be finite, was " + marginDegrees);
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, was " + scale);
        }
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults: margin 28.6°, scale 64, mean. */
    public ArcFaceLoss(int numClasses, int embeddingSize) {
        this(numClasses, embeddingSize, 28.6, 64, new MeanReducer());
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
        Operand<TFloat32> sinSquared = tf.math.sub(tf.constant(1f), tf.math.square(cosine));
        Operand<TFloat32> zero = tf.zerosLike(tf.stopGradient(sinSquared));
        Operand<TBool> positive = tf.math.greater(sinSquared, zero);
        Operand<TFloat32> safe = tf.select(positive, sinSquared, tf.math.add(zero, tf.constant(1f)));
        Operand<TFloat32> sine = tf.select(positive, tf.math.sqrt(safe), zero);
        double m = Math.toRadians(marginDegrees);
        Operand<TFloat32> withMargin = tf.math.sub(tf.math.mul(cosine, tf.constant((float) Math.cos(m))),
                tf.math.mul(sine, tf.constant((float) Math.sin(m))));
        Operand<TFloat32> past = tf.math.sub(cosine, tf.constant((float) (m * Math.sin(m))));
        Operand<TFloat32> target;
        if (m > Math.PI) {
            target = past;
        } else if (m < 0) {
            target = withMargin;
        } else {
            Operand<TBool> withinPi = tf.math.greaterEqual(cosine, tf.constant((float) -Math.cos(m)));
            target = tf.select(withinPi, withMargin, past);
        }
        // the label column takes cos(θ + m) (or PML's branch past π - m), the others keep cos θ
        Operand<TFloat32> adjusted = tf.math.add(cosine, tf.math.mul(oneHot, tf.math.sub(target, cosine)));
        Operand<TFloat32> logits = tf.math.mul(adjusted, tf.constant((float) scale));
        return reducer.reduce(tf, ClassWeights.crossEntropy(tf, logits, oneHot));
    }
}
