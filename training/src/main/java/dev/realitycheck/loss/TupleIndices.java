package dev.realitycheck.loss;

import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;

/**
 * Mined tuples inside the graph: int32 vectors of row indices, read with {@code GatherV2} (which
 * has a gradient; the v1 {@code Gather} has none in TensorFlow Java). Either constants
 * ({@link Tuples#constants}) or placeholders a trainer feeds from its miner every step
 * ({@link #placeholders}, {@link Placeholders#feed}).
 */
public sealed interface TupleIndices {

    /** Positive pairs {@code (a1, p)} and negative pairs {@code (a2, n)}, each {@code [K]} int32. */
    record PairIndices(Operand<TInt32> a1, Operand<TInt32> p, Operand<TInt32> a2, Operand<TInt32> n)
            implements TupleIndices {
        /** Checks for nulls. */
        public PairIndices {
            Objects.requireNonNull(a1, "a1");
            Objects.requireNonNull(p, "p");
            Objects.requireNonNull(a2, "a2");
            Objects.requireNonNull(n, "n");
        }
    }

    /** Triplets {@code (a, p, n)}, each {@code [K]} int32. */
    record TripletIndices(Operand<TInt32> a, Operand<TInt32> p, Operand<TInt32> n) implements TupleIndices {
        /** Checks for nulls. */
        public TripletIndices {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(p, "p");
            Objects.requireNonNull(n, "n");
        }
    }

    /**
     * Placeholders of unknown length for the tuples a miner of the given kind returns.
     *
     * @param tf    the graph builder
     * @param kind  {@code Pairs.class} or {@code Triplets.class}
     * @param name  a prefix for the placeholder names, e.g. {@code mined}
     * @return the placeholders, to pass to a loss and to feed
     */
    static Placeholders placeholders(Ops tf, Class<? extends Tuples> kind, String name) {
        if (kind != Pairs.class && kind != Triplets.class) {
            throw new IllegalArgumentException("kind must be Pairs.class or Triplets.class, was " + kind);
        }
        int count = kind == Pairs.class ? 4 : 3;
        @SuppressWarnings("unchecked")
        Placeholder<TInt32>[] p = new Placeholder[count];
        for (int i = 0; i < count; i++) {
            p[i] = tf.withName(name + "_" + i).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        }
        TupleIndices indices = count == 4
                ? new PairIndices(p[0], p[1], p[2], p[3])
                : new TripletIndices(p[0], p[1], p[2]);
        return new Placeholders(indices, List.of(p));
    }

    /**
     * Placeholders and the indices they form.
     *
     * @param indices      what a loss reads
     * @param placeholders in the order of the tuple's components
     */
    record Placeholders(TupleIndices indices, List<Placeholder<TInt32>> placeholders) {

        /**
         * Feeds mined tuples of the placeholders' kind.
         *
         * @return the fed tensors; the caller closes them after the run
         */
        public List<Tensor> feed(Session.Runner runner, Tuples tuples) {
            int[][] parts = switch (tuples) {
                case Pairs(int[] a1, int[] p, int[] a2, int[] n) -> new int[][] {a1, p, a2, n};
                case Triplets(int[] a, int[] p, int[] n) -> new int[][] {a, p, n};
            };
            if (parts.length != placeholders.size()) {
                throw new IllegalArgumentException("these placeholders take " + placeholders.size()
                        + "-part tuples, got " + tuples.getClass().getSimpleName());
            }
            Tensor[] fed = new Tensor[parts.length];
            for (int i = 0; i < parts.length; i++) {
                fed[i] = TInt32.vectorOf(parts[i]);
                runner.feed(placeholders.get(i), fed[i]);
            }
            return List.of(fed);
        }
    }
}
