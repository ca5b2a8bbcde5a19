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
 * the explicit step number {@code t}.
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
        Variable<TFloat32> m = slots.get("m");
        Variable<TFloat32> v = slots.get("v");
        Operand<TFloat32> mNew = tf.assign(m, tf.math.add(tf.math.mul(tf.constant(beta1), m),
                tf.math.mul(tf.constant(1f - beta1), g)));
        Operand<TFloat32> vNew = tf.assign(v, tf.math.add(tf.math.mul(tf.constant(beta2), v),
                tf.math.mul(tf.constant(1f - beta2), tf.math.square(g))));
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> correction1 = tf.math.sub(one, tf.math.pow(tf.constant(beta1), step));
        Operand<TFloat32> correction2 = tf.math.sub(one, tf.math.pow(tf.constant(beta2), step));
        Operand<TFloat32> denominator = tf.math.add(tf.math.div(tf.math.sqrt(vNew), tf.math.sqrt(correction2)),
                tf.constant(epsilon));
        Operand<TFloat32> stepSize = tf.math.div(rate, correction1);
        return tf.assignSub(variable, tf.math.mul(stepSize, tf.math.div(mNew, denominator)));
    }
}
