package dev.realitycheck.train;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, as PyTorch's {@code SGD} without
 * dampening: {@code b = momentum b + g}, {@code w -= lr b}.
 *
 * @param learningRate non-negative (0: the variables stay as they are)
 * @param momentum     in [0, 1)
 * @param weightDecay  L2 decay, non-negative
 */
public record Sgd(float learningRate, float momentum, float weightDecay) implements Optimizer {

    /** Validates the hyperparameters. */
    public Sgd {
        Optimizer.check("learningRate", learningRate, false);
        Optimizer.check("weightDecay", weightDecay, false);
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
        }
    }

    @Override
    public List<String> slots() {
        return List.of("momentum");
    }

    @Override
    public Operand<TFloat32> update(Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient,
                                    Map<String, Variable<TFloat32>> slots, Operand<TFloat32> step,
                                    Operand<TFloat32> rate) {
        Operand<TFloat32> g = decayed(tf, variable, gradient);
        Variable<TFloat32> b = slots.get("momentum");
        Operand<TFloat32> bNew = tf.assign(b, tf.math.add(tf.math.mul(tf.constant(momentum), b), g));
        return tf.assignSub(variable, tf.math.mul(rate, bNew));
    }
}
