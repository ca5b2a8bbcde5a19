package dev.realitycheck.train;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop as PyTorch computes it (uncentred), the optimizer of "A Metric Learning Reality Check"
 * (lr 1e-6, weight decay 1e-4, momentum 0.9): {@code v = alpha v + (1-alpha) g²}; without momentum
 * {@code w -= lr g / (sqrt(v) + eps)}, with it {@code b = momentum b + g / (sqrt(v) + eps)},
 * {@code w -= lr b}.
 *
 * @param learningRate non-negative (0: the variables stay as they are)
 * @param alpha        the smoothing constant, in [0, 1)
 * @param epsilon      positive
 * @param weightDecay  L2 decay, non-negative
 * @param momentum     in [0, 1); 0 has no momentum buffer
 */
public record RmsProp(float learningRate, float alpha, float epsilon, float weightDecay, float momentum)
        implements Optimizer {

    /** Validates the hyperparameters. */
    public RmsProp {
        Optimizer.check("learningRate", learningRate, false);
        Optimizer.check("epsilon", epsilon, true);
        Optimizer.check("weightDecay", weightDecay, false);
        if (!(alpha >= 0f && alpha < 1f)) {
            throw new IllegalArgumentException("alpha must be in [0, 1), was " + alpha);
        }
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
        }
    }

    /** RMSprop without momentum. */
    public RmsProp(float learningRate, float alpha, float epsilon, float weightDecay) {
        this(learningRate, alpha, epsilon, weightDecay, 0f);
    }

    /** @return RMSprop with PyTorch's alpha 0.99, epsilon 1e-8, no weight decay and no momentum */
    public static RmsProp of(float learningRate) {
        return new RmsProp(learningRate, 0.99f, 1e-8f, 0f, 0f);
    }

    @Override
    public List<String> slots() {
        return momentum == 0f ? List.of("square_avg") : List.of("square_avg", "momentum_buffer");
    }

    @Override
    public Operand<TFloat32> update(Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient,
                                    Map<String, Variable<TFloat32>> slots, Operand<TFloat32> step,
                                    Operand<TFloat32> rate) {
        Operand<TFloat32> g = decayed(tf, variable, gradient);
        Variable<TFloat32> v = slots.get("square_avg");
        Operand<TFloat32> vNew = tf.assign(v, tf.math.add(tf.math.mul(tf.constant(alpha), v),
                tf.math.mul(tf.constant(1f - alpha), tf.math.square(g))));
        Operand<TFloat32> denominator = tf.math.add(tf.math.sqrt(vNew), tf.constant(epsilon));
        if (momentum == 0f) {
            return tf.assignSub(variable, tf.math.mul(rate, tf.math.div(g, denominator)));
        }
        Variable<TFloat32> b = slots.get("momentum_buffer");
        Operand<TFloat32> bNew = tf.assign(b, tf.math.add(tf.math.mul(tf.constant(momentum), b),
                tf.math.div(g, denominator)));
        return tf.assignSub(variable, tf.math.mul(rate, bNew));
    }
}
