package dev.realitycheck.loss;

import java.util.Arrays;
import org.tensorflow.op.Ops;

/**
 * Triplets {@code (a[k], p[k], n[k])}: an anchor, a positive of its label, a negative of another
 * label, as row indices into the batch. The arrays are the record's own: do not modify them after
 * construction.
 *
 * @param a anchors
 * @param p positives, as many as {@code a}
 * @param n negatives, as many as {@code a}
 */
public record Triplets(int[] a, int[] p, int[] n) implements Tuples {

    /** Validates lengths and signs. */
    public Triplets {
        Tuples.check("triplets", a, "a", p, "p");
        Tuples.check("triplets", a, "a", n, "n");
    }

    /** @return the number of triplets */
    public int size() {
        return a.length;
    }

    @Override
    public TupleIndices.TripletIndices constants(Ops tf) {
        return new TupleIndices.TripletIndices(tf.constant(a), tf.constant(p), tf.constant(n));
    }

    @Override
    public String toString() {
        return "Triplets[a=" + Arrays.toString(a) + ", p=" + Arrays.toString(p) + ", n=" + Arrays.toString(n) + "]";
    }
}
