package dev.realitycheck.train;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Splits a batch along its first dimension into its first {@code n / 2} rows and the rest, so that
 * a trunk whose rows are independent runs as two subgraphs that a session with two inter-op
 * threads executes side by side, forward and backward. The rows' values are unchanged; the
 * gradients of the shared variables become the sum of the two halves' (float rounding only).
 */
final class BatchHalves {

    private BatchHalves() {
    }

    /**
     * @param tf    the graph's ops
     * @param batch a tensor of rank 1 or more whose first dimension is the batch (any size, 0 included)
     * @param <T>   its type
     * @return its first {@code n / 2} rows, then its other rows
     */
    static <T extends TType> List<Operand<T>> split(Ops tf, Operand<T> batch) {
        int rank = batch.shape().numDimensions();
        if (rank < 1) {
            throw new IllegalArgumentException("a batch has rank 1 or more, was " + batch.shape());
        }
        Operand<TInt32> axis = tf.constant(0);
        Operand<TInt32> half = tf.math.floorDiv(
                tf.slice(tf.shape(batch), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                tf.constant(new int[] {2}));
        Operand<TInt32> otherDims = tf.constant(new int[rank - 1]);
        Operand<TInt32> allOfOtherDims = tf.constant(filled(rank - 1, -1));
        Operand<T> first = tf.slice(batch, tf.constant(new int[rank]), tf.concat(List.of(half, allOfOtherDims), axis));
        Operand<T> rest = tf.slice(batch, tf.concat(List.of(half, otherDims), axis), tf.constant(filled(rank, -1)));
        return List.of(first, rest);
    }

    private static int[] filled(int length, int value) {
        int[] a = new int[length];
        Arrays.fill(a, value);
        return a;
    }
}
