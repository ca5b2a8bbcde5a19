package dev.realitycheck.loss.reducer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The mean over the elements strictly between {@code low} and {@code high}, or 0 when there are
 * none: pytorch-metric-learning's {@code ThresholdReducer}. An open side is an infinite bound.
 *
 * @param low  the exclusive lower bound, not NaN ({@code -Infinity}: none)
 * @param high the exclusive upper bound, not NaN, greater than {@code low} ({@code +Infinity}: none)
 */
public record ThresholdReducer(double low, double high) implements Reducer {

    /** Validates the bounds. */
    public ThresholdReducer {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            throw new IllegalArgumentException("bounds must not be NaN, were low=" + low + " high=" + high);
        }
        if (!(low < high)) {
            throw new IllegalArgumentException("low must be below high, were low=" + low + " high=" + high);
        }
    }

    @Override
    public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses) {
        return Reducer.meanOf(tf, losses, selected(tf, losses));
    }

    private Operand<TBool> selected(Ops tf, Operand<TFloat32> losses) {
        return tf.math.logicalAnd(
                tf.math.greater(losses, tf.fill(tf.shape(tf.stopGradient(losses)), tf.constant((float) low))),
                tf.math.less(losses, tf.fill(tf.shape(tf.stopGradient(losses)), tf.constant((float) high))));
    }

    @Override
    public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses, Operand<TBool> valid) {
        return Reducer.meanOf(tf, losses, tf.math.logicalAnd(valid, selected(tf, losses)));
    }

    @Override
    public double reduce(double[] losses) {
        double sum = 0;
        int count = 0;
        for (double l : losses) {
            if (l > low && l < high) {
                sum += l;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
