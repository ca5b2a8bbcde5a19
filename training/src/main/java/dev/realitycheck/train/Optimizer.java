package dev.realitycheck.train;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A first-order update rule, written as graph ops of our own (the framework's {@code Adam} races
 * on its beta-power updates, so runs with it are not reproducible). Formulas follow PyTorch's
 * optimizers; weight decay is PyTorch's L2 form: {@code g += weightDecay * w} before the rule.
 *
 * <p>Each slot is a {@code VariableV2} of the variable's shape, zero at the start, so it is saved
 * with the training state. {@link ParameterUpdates} creates the slots and orders the updates.
 */
public sealed interface Optimizer permits Adam, RmsProp, Sgd {

    /** @return the step size (the peak one under a warm-up, {@link UpdateSettings}); 0 leaves the variables unchanged */
    float learningRate();

    /** @return the L2 weight decay added to the gradient */
    float weightDecay();

    /** @return the names of the per-variable state slots, e.g. {@code m} and {@code v} */
    List<String> slots();

    /**
     * Adds the update of one variable.
     *
     * @param tf       the graph builder, already carrying whatever control dependencies order it
     * @param variable the variable to update
     * @param gradient the loss's gradient with respect to it
     * @param slots    one zero-initialised variable per {@link #slots()} name
     * @param step     the 1-based number of this update, a float32 scalar
     * @param rate     this update's learning rate, a float32 scalar: {@link #learningRate()}, times the
     *                 warm-up factor when {@link UpdateSettings} has one
     * @return the op that writes the variable's new value (after its slots)
     */
    Operand<TFloat32> update(Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient,
                             Map<String, Variable<TFloat32>> slots, Operand<TFloat32> step, Operand<TFloat32> rate);

    /** {@code g + weightDecay * w}, or {@code g} without decay. */
    default Operand<TFloat32> decayed(Ops tf, Variable<TFloat32> variable, Operand<TFloat32> gradient) {
        if (weightDecay() == 0f) {
            return gradient;
        }
        return tf.math.add(gradient, tf.math.mul(tf.constant(weightDecay()), tf.identity(variable)));
    }

    /** Checks a hyperparameter is finite and at least zero (or positive if {@code positive}). */
    static void check(String name, float value, boolean positive) {
        if (!Float.isFinite(value) || value < 0f || (positive && value == 0f)) {
            throw new IllegalArgumentException(name + " must be finite and " + (positive ? "positive" : "non-negative")
                    + ", was " + value);
        }
    }
}
