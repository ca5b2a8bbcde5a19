package dev.realitycheck.loss.reducer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Turns a loss's per-element losses (one per pair, triplet or anchor) into the scalar that is
 * minimised, as pytorch-metric-learning's reducers do.
 *
 * <p>Either every element passed in is a real, valid element (losses gather a miner's tuples), or a
 * dense tensor comes with the mask of its elements that are tuples (every pair or triplet of the
 * batch, {@link #reduce(Ops, Operand, Operand)}). The element count may be 0 (a miner found nothing); every reducer then gives 0,
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
     * The same reduction over the {@code valid} elements of a dense tensor of any shape: what
     * {@link #reduce(Ops, Operand)} gives for the vector of those elements (up to the order of the
     * float sums). Losses over every tuple of a batch use it on their {@code [B, B]} (pairs) or
     * {@code [B, P, N]} (triplets) tensors instead of gathering the tuples: no gather, no scatter
     * in the gradient.
     *
     * @param valid the elements that are tuples, same shape as {@code losses}
     */
    Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> losses, Operand<org.tensorflow.types.TBool> valid);

    /**
     * The same reduction in plain Java (double precision): the reference the graph is tested
     * against, and handy for logging.
     */
    double reduce(double[] losses);

    /** {@code sum(selected) / max(count(selected), 1)}: the mean of the selected elements, 0 if none. */
    static Operand<TFloat32> meanOf(Ops tf, Operand<TFloat32> losses, Operand<org.tensorflow.types.TBool> selected) {
        Operand<TFloat32> sum = sumAll(tf, tf.select(selected, losses, tf.constant(0f)));
        Operand<TFloat32> count = tf.stopGradient(sumAll(tf, tf.dtypes.cast(selected, TFloat32.class)));
        return tf.math.div(sum, tf.math.maximum(count, tf.constant(1f)));
    }

    /** The sum of every element of a tensor of any rank. */
    static Operand<TFloat32> sumAll(Ops tf, Operand<TFloat32> x) {
        return tf.reduceSum(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
    }
}
