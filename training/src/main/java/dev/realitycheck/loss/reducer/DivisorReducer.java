package dev.realitycheck.loss.reducer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The sum of all elements divided by a fixed divisor (pytorch-metric-learning's
 * {@code DivisorReducer}, whose divisor a loss supplies; here it is configured).
 *
 * @param divisor positive and finite
 */
public record DivisorReducer(double divisor) implements Reducer {

    /** Validates the divisor. */
    public DivisorReducer {
        if (!(divisor > 0) || !Double.isFinite(divisor)) {
            throw new IllegalArgumentException("divisor must be positive and finite, was " + divisor);
        }
    }

    @Override
    public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses) {
        return tf.math.div(tf.reduceSum(losses, tf.constant(0)), tf.constant((float) divisor));
    }

    @Override
    public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses, Operand<org.tensorflow.types.TBool> valid) {
        Operand<TFloat32> selected = tf.select(valid, losses, tf.constant(0f));
        return tf.math.div(Reducer.sumAll(tf, selected), tf.constant((float) divisor));
    }

    @Override
    public double reduce(double[] losses) {
        double sum = 0;
        for (double l : losses) {
            sum += l;
        }
        return sum / divisor;
    }
}
