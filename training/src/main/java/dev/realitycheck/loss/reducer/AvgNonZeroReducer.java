package dev.realitycheck.loss.reducer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The mean over the elements greater than 0, or 0 when there are none: pytorch-metric-learning's
 * {@code AvgNonZeroReducer}, the default of the contrastive and triplet losses (the elements that
 * already satisfy their margin do not dilute the loss).
 */
public record AvgNonZeroReducer() implements Reducer {

    @Override
    public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses) {
        return Reducer.meanOf(tf, losses, tf.math.greater(losses, tf.constant(0f)));
    }

    @Override
    public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses, Operand<org.tensorflow.types.TBool> valid) {
        return Reducer.meanOf(tf, losses,
                tf.math.logicalAnd(valid, tf.math.greater(losses, tf.constant(0f))));
    }

    @Override
    public double reduce(double[] losses) {
        double sum = 0;
        int count = 0;
        for (double l : losses) {
            if (l > 0) {
                sum += l;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
