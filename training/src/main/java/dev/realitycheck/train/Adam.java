package dev.realitycheck.train;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam as PyTorch computes it: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g²},
 * {@code w -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)}, the bias corrections from
 * the explicit step number {@code t}. Runs as one fused kernel per variable (TensorFlow's
 * {@code ApplyAdam} with the epsilon rescaled so the formula is PyTorch's; equal up to float rounding).
 *
 * @param learningRate non-negative (0: the variables stay as they are)
 * @param beta1        in [0, 1)
 * @param beta2        in [0, 1)
 * @param epsilon      positive
 * @param weightDecay  L2 decay, non-negative
 */
public record Adam(float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
        implements Optimizer {

    /** Validates the hyperparameters. */
    public Adam {
        Optimizer.check("learningRate", learningRate, false);
        Optimizer.check("epsilon", epsilon, true);
        Optimizer.check("weightDecay", weightDecay, false);
        if (!(beta1 >= 0f && beta1 < 1f)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), was " + beta1);
        }
        if (!(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), was " + beta2);
        }
    }

    /** @return Adam with beta1 0.9, beta2 0.999, epsilon 1e-8 and no weight decay */
    public static Adam of(float learningRate) {
        return new Adam(learningRate, 0.9f, 0.999f, 1e-8f, 0f);
    }

    @Override
    public List<String> slots() {
        return List.of("m", "v");
    }

    @Override
    public Operand<TFloat32> update(Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient,
                                    Map<String, Variable<TFloat32>> slots, Operand<TFloat32> step,
                                    Operand<TFloat32> rate) {
        Operand<TFloat32> g = decayed(tf, variable, gradient);
        Operand<TFloat32> beta1Power = tf.math.pow(tf.constant(beta1), step);
        Operand<TFloat32> beta2Power = tf.math.pow(tf.constant(beta2), step);
        // One fused kernel (TensorFlow's ApplyAdam: a single pass over w, m and v instead of ~12
        // element-wise ops each writing a tensor): m += (g - m)(1 - b1), v += (g² - v)(1 - b2),
        // w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + ε'). With ε' = ε sqrt(1 - b2^t) that is
        // PyTorch's w -= lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + ε): the same math, only
        // the float rounding differs.
        Operand<TFloat32> epsilonHat = tf.math.mul(tf.constant(epsilon),
                tf.math.sqrt(tf.math.sub(tf.constant(1f), beta2Power)));
        return tf.train.applyAdam(variable, slots.get("m"), slots.get("v"), beta1Power, beta2Power, rate,
                tf.constant(beta1), tf.constant(beta2), epsilonHat, g);
    }
}
