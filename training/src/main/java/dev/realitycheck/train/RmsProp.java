package dev.realitycheck.train;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop as PyTorch computes it (uncentred, no momentum), the optimizer of "A Metric Learning
 * Reality Check": {@code v = alpha v + (1-alpha) g²}, {@code w -= lr g / (sqrt(v) + eps)}.
 *
 * @param learningRate positive
 * @param alpha        the smoothing constant, in [0, 1)
 * @param epsilon      positive
 * @param weightDecay  L2 decay, non-negative
 */
public record RmsProp(float learningRate, float alpha, float epsilon, float weightDecay) implements Optimizer {

    /** Validates the hyperparameters. */
    public RmsProp {
        Optimizer.check("learningRate", learningRate, true);
        Optimizer.check("epsilon", epsilon, true);
        Optimizer.check("weightDecay", weightDecay, false);
        if (!(alpha >= 0f && alpha < 1f)) {
            throw new IllegalArgumentException("alpha must be in [0, 1), was " + alpha);
        }
    }

    /** @return RMSprop with PyTorch's alpha 0.99, epsilon 1e-8 and no weight decay */
    public static RmsProp of(float learningRate) {
        return new RmsProp(learningRate, 0.99f, 1e-8f, 0f);
    }

    @Override
    public List<String> slots() {
        return List.of("square_avg");
    }

    @Override
    public Operand<TFloat32> update(Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient,
                                    Map<String, Variable<TFloat32>> slots, Operand<TFloat32> step) {
        Operand<TFloat32> g = decayed(tf, variable, gradient);
        Variable<TFloat32> v = slots.get("square_avg");
        Operand<TFloat32> vNew = tf.assign(v, tf.math.add(tf.math.mul(tf.constant(alpha), v),
                tf.math.mul(tf.constant(1f - alpha), tf.math.square(g))));
        Operand<TFloat32> denominator = tf.math.add(tf.math.sqrt(vNew), tf.constant(epsilon));
        return tf.assignSub(variable, tf.math.mul(tf.constant(learningRate), tf.math.div(g, denominator)));
    }
}
