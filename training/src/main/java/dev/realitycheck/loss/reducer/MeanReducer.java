package dev.realitycheck.loss.reducer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The mean of all elements (0 when there are none): pytorch-metric-learning's {@code MeanReducer}. */
public record MeanReducer() implements Reducer {

    @Override
    public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses) {
        Operand<TFloat32> sum = tf.reduceSum(losses, tf.constant(0));
        Operand<TFloat32> count = tf.stopGradient(tf.reduceSum(tf.math.add(tf.zerosLike(tf.stopGradient(losses)), tf.constant(1f)), tf.constant(0)));
        return tf.math.div(sum, tf.math.maximum(count, tf.constant(1f)));
    }

    @Override
    public Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses, Operand<org.tensorflow.types.TBool> valid) {
        return Reducer.meanOf(tf, losses, valid);
    }

    @Override
    public double reduce(double[] losses) {
        double sum = 0;
        for (double l : losses) {
            sum += l;
        }
        return losses.length == 0 ? 0 : sum / losses.length;
    }
}
