package dev.realitycheck.loss;

import java.util.Arrays;
import org.tensorflow.op.Ops;

/**
 * Positive pairs {@code (a1[k], p[k])} (same label) and negative pairs {@code (a2[k], n[k])}
 * (different labels), as row indices into the batch. The arrays are the record's own: do not
 * modify them after construction.
 *
 * @param a1 anchors of the positive pairs
 * @param p  positives, as many as {@code a1}
 * @param a2 anchors of the negative pairs
 * @param n  negatives, as many as {@code a2}
 */
public record Pairs(int[] a1, int[] p, int[] a2, int[] n) implements Tuples {

    /** Validates lengths and signs. */
    public Pairs {
        Tuples.check("positive pairs", a1, "a1", p, "p");
        Tuples.check("negative pairs", a2, "a2", n, "n");
    }

    @Override
    public TupleIndices.PairIndices constants(Ops tf) {
        return new TupleIndices.PairIndices(tf.constant(a1), tf.constant(p), tf.constant(a2), tf.constant(n));
    }

    @Override
    public String toString() {
        return "Pairs[a1=" + Arrays.toString(a1) + ", p=" + Arrays.toString(p) + ", a2=" + Arrays.toString(a2)
                + ", n=" + Arrays.toString(n) + "]";
    }
}
