package dev.realitycheck.loss;

import org.tensorflow.op.Ops;

/**
 * Index tuples into a batch, as a miner returns them in plain Java: {@link Pairs} or
 * {@link Triplets}. A loss reads them in the graph as {@link TupleIndices}: constants for a
 * one-off graph ({@link #constants}), or placeholders fed every step by a trainer
 * ({@link TupleIndices#placeholders}).
 */
public sealed interface Tuples permits Pairs, Triplets {

    /** @return these indices as graph constants */
    TupleIndices constants(Ops tf);

    /** Checks that indices are non-negative and that paired arrays have equal lengths. */
    static void check(String what, int[] first, String firstName, int[] second, String secondName) {
        java.util.Objects.requireNonNull(first, firstName);
        java.util.Objects.requireNonNull(second, secondName);
        if (first.length != second.length) {
            throw new IllegalArgumentException(what + ": " + firstName + " has " + first.length + " indices but "
                    + secondName + " has " + second.length);
        }
        for (int[] indices : new int[][] {first, second}) {
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0) {
                    throw new IllegalArgumentException(what + ": index " + i + " is negative: " + indices[i]);
                }
            }
        }
    }
}
