package dev.realitycheck.loss.reducer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Turns a loss's per-element losses (one per pair, triplet or anchor) into the scalar that is
 * minimised, as pytorch-metric-learning's reducers do.
 *
 * <p>Every element passed in is a real, valid element: losses gather exactly the tuples that exist
 * (all of the batch's, or a miner's) instead of masking a dense matrix, so no separate validity
 * mask is needed. The element count may be 0 (a miner found nothing); every reducer then gives 0,
 * with a zero gradient, never NaN.
 */
public interface Reducer {

    /**
     * @param tf     the graph builder
     * @param losses {@code [N]}, {@code N >= 0}
     * @return a scalar
     */
    Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses);

    /**
     * The same reduction in plain Java (double precision): the reference the graph is tested
     * against, and handy for logging.
     */
    double reduce(double[] losses);

    /** {@code sum(selected) / max(count(selected), 1)}: the mean of the selected elements, 0 if none. */
    static Operand<TFloat32> meanOf(Ops tf, Operand<TFloat32> losses, Operand<org.tensorflow.types.TBool> selected) {
        Operand<TFloat32> zero = tf.zerosLike(tf.stopGradient(losses));
        Operand<TFloat32> sum = tf.reduceSum(tf.select(selected, losses, zero), tf.constant(0));
        Operand<TFloat32> count = tf.stopGradient(
                tf.reduceSum(tf.select(selected, tf.math.add(tf.zerosLike(tf.stopGradient(losses)), tf.constant(1f)), zero), tf.constant(0)));
        return tf.math.div(sum, tf.math.maximum(count, tf.constant(1f)));
    }
}
