package dev.realitycheck.loss;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Graph helpers the losses share: the batch's tuples from its labels (pytorch-metric-learning's
 * {@code get_all_pairs_indices} / {@code get_all_triplets_indices}, same row-major order), tuple
 * conversions, and reading a {@code [B, B]} matrix at index pairs.
 *
 * <p>Index computations use {@code Where}, {@code Equal} and friends, which have no gradient; they
 * only depend on labels and indices, never on the embeddings, so no gradient is asked of them.
 */
public final class GraphTuples {

    /** A finite stand-in for minus infinity in masked maxima (exp of it minus anything finite is 0). */
    static final float LOWEST = -3.0e38f;

    private GraphTuples() {
    }

    /** The pairs a loss uses: the mined ones (triplets become their (a, p) and (a, n) pairs), or all. */
    public static TupleIndices.PairIndices pairs(Ops tf, Operand<TInt32> labels, TupleIndices mined) {
        return switch (mined) {
            case null -> allPairs(tf, labels);
            case TupleIndices.PairIndices pairs -> pairs;
            case TupleIndices.TripletIndices(Operand<TInt32> a, Operand<TInt32> p, Operand<TInt32> n) ->
                    new TupleIndices.PairIndices(a, p, a, n);
        };
    }

    /** The triplets a loss uses: the mined ones (pairs sharing an anchor combined), or all. */
    public static TupleIndices.TripletIndices triplets(Ops tf, Operand<TInt32> labels, TupleIndices mined) {
        return switch (mined) {
            case null -> allTriplets(tf, labels);
            case TupleIndices.TripletIndices triplets -> triplets;
            case TupleIndices.PairIndices(Operand<TInt32> a1, Operand<TInt32> p, Operand<TInt32> a2,
                                          Operand<TInt32> n) -> {
                Operand<TBool> sameAnchor = tf.math.equal(tf.expandDims(a1, tf.constant(1)),
                        tf.expandDims(a2, tf.constant(0)));
                Operand<TInt64> where = tf.where(sameAnchor);
                Operand<TInt32> positive = column(tf, where, 0);
                Operand<TInt32> negative = column(tf, where, 1);
                yield new TupleIndices.TripletIndices(tf.gather(a1, positive, tf.constant(0)),
                        tf.gather(p, positive, tf.constant(0)), tf.gather(n, negative, tf.constant(0)));
            }
        };
    }

    /** Every ordered pair {@code i != j} of equal labels, and every pair of different labels. */
    public static TupleIndices.PairIndices allPairs(Ops tf, Operand<TInt32> labels) {
        Operand<TBool> same = sameLabel(tf, labels);
        Operand<TBool> offDiagonal = offDiagonal(tf, labels);
        Operand<TInt64> positive = tf.where(tf.math.logicalAnd(same, offDiagonal));
        Operand<TInt64> negative = tf.where(tf.math.logicalNot(same));
        return new TupleIndices.PairIndices(column(tf, positive, 0), column(tf, positive, 1),
                column(tf, negative, 0), column(tf, negative, 1));
    }

    /**
     * Every triplet {@code (a, p, n)}: {@code p != a} with a's label, {@code n} with another label,
     * in row-major {@code (a, p, n)} order. Built from the positive pairs (a {@code [B, B]} mask)
     * and, per positive pair, its anchor's row of the negative mask ({@code [pairs, B]}), not from a
     * {@code [B, B, B]} mask: at batch 256 with m = 4 that is 196,608 mask entries instead of 16.8
     * million, and the same triplets in the same order.
     */
    public static TupleIndices.TripletIndices allTriplets(Ops tf, Operand<TInt32> labels) {
        Operand<TBool> same = sameLabel(tf, labels);
        Operand<TInt64> positive = tf.where(tf.math.logicalAnd(same, offDiagonal(tf, labels)));
        Operand<TInt32> anchors = column(tf, positive, 0);
        Operand<TInt32> positives = column(tf, positive, 1);
        Operand<TBool> negativesOfPair = tf.gather(tf.math.logicalNot(same), anchors, tf.constant(0));
        Operand<TInt64> where = tf.where(negativesOfPair);
        Operand<TInt32> pair = column(tf, where, 0);
        return new TupleIndices.TripletIndices(tf.gather(anchors, pair, tf.constant(0)),
                tf.gather(positives, pair, tf.constant(0)), column(tf, where, 1));
    }

    /**
     * The pairs of a batch as {@code [B, B]} masks of the distance matrix: the mined pairs' entries
     * (through {@link #mask}) or, without a miner, every pair straight from the labels (no index
     * list, no scatter; the same entries as {@link #allPairs}).
     */
    public static PairMasks pairMasks(Ops tf, Operand<TFloat32> matrix, Operand<TInt32> labels, TupleIndices mined) {
        if (mined == null) {
            Operand<TBool> same = sameLabel(tf, labels);
            return new PairMasks(tf.math.logicalAnd(same, offDiagonal(tf, labels)), tf.math.logicalNot(same));
        }
        TupleIndices.PairIndices pairs = pairs(tf, labels, mined);
        return new PairMasks(mask(tf, matrix, pairs.a1(), pairs.p()), mask(tf, matrix, pairs.a2(), pairs.n()));
    }

    /**
     * Positive and negative pairs as {@code [B, B]} masks.
     *
     * @param positive where {@code (i, j)} is a positive pair
     * @param negative where {@code (i, j)} is a negative pair
     */
    public record PairMasks(Operand<TBool> positive, Operand<TBool> negative) {
        /** Checks for nulls. */
        public PairMasks {
            java.util.Objects.requireNonNull(positive, "positive");
            java.util.Objects.requireNonNull(negative, "negative");
        }
    }

    /**
     * Every triplet of the batch, anchor by anchor: {@code x[a, p, n] = f(matrix[a, p], matrix[a, n])}
     * for the anchor's positives p (its label, p != a) and negatives n (other labels) as a dense
     * {@code [B, P, N]} tensor, P and N the most positives and negatives any anchor has, with the
     * mask of the entries that are triplets (the others are padding). At batch 256 with m = 64
     * that is exactly the 3.1 million triplets of {@link #allTriplets} without gathering each
     * triplet's two distances (and scattering their gradients back): only the B x (P + N) per-anchor
     * distances are gathered.
     *
     * @param f combines the {@code [B, P, 1]} anchor-positive and {@code [B, 1, N]} anchor-negative
     *          distances (broadcasting) into the per-triplet values
     */
    public static Dense denseTriplets(Ops tf, Operand<TFloat32> matrix, Operand<TInt32> labels,
                                      java.util.function.BinaryOperator<Operand<TFloat32>> f) {
        Operand<TBool> same = sameLabel(tf, labels);
        Padded positives = columnsOf(tf, tf.math.logicalAnd(same, offDiagonal(tf, labels)));
        Padded negatives = columnsOf(tf, tf.math.logicalNot(same));
        Operand<TFloat32> ap = tf.expandDims(at(tf, matrix, positives.rows(), positives.columns()), tf.constant(2));
        Operand<TFloat32> an = tf.expandDims(at(tf, matrix, negatives.rows(), negatives.columns()), tf.constant(1));
        Operand<TFloat32> values = f.apply(ap, an);
        Operand<TBool> valid = tf.math.logicalAnd(tf.expandDims(positives.valid(), tf.constant(2)),
                tf.expandDims(negatives.valid(), tf.constant(1)));
        return new Dense(values, valid);
    }

    /**
     * Per-element values of a dense tuple tensor and which elements are tuples.
     *
     * @param values the values, padding included
     * @param valid  same shape: true at the tuples
     */
    public record Dense(Operand<TFloat32> values, Operand<TBool> valid) {
        /** Checks for nulls. */
        public Dense {
            java.util.Objects.requireNonNull(values, "values");
            java.util.Objects.requireNonNull(valid, "valid");
        }
    }

    /** A {@code [B, K]} table of each row's true columns of a mask, ascending, padded. */
    private record Padded(Operand<TInt32> rows, Operand<TInt32> columns, Operand<TBool> valid) {
    }

    /**
     * Each row's true columns of a {@code [B, B]} mask in ascending order, padded to the largest
     * row count K: a top-K of {@code B - j} at the true entries (0 elsewhere), so ties never
     * occur among true entries and the padding (key 0) sorts after them.
     */
    private static Padded columnsOf(Ops tf, Operand<TBool> mask) {
        Operand<TInt32> size = tf.reshape(tf.slice(tf.shape(mask), tf.constant(new int[] {1}), tf.constant(new int[] {1})),
                tf.constant(new int[0]));
        Operand<TInt32> columns = tf.range(tf.constant(0), size, tf.constant(1));
        Operand<TFloat32> key = tf.dtypes.cast(tf.math.mul(tf.dtypes.cast(mask, TInt32.class),
                tf.expandDims(tf.math.sub(size, columns), tf.constant(0))), TFloat32.class);
        Operand<TInt32> k = tf.max(tf.reduceSum(tf.dtypes.cast(mask, TInt32.class), tf.constant(1)), tf.constant(0));
        org.tensorflow.op.nn.TopK<TFloat32, TInt32> top = tf.nn.topK(key, k, TInt32.class);
        Operand<TInt32> rows = tf.math.mul(tf.expandDims(columns, tf.constant(1)), tf.onesLike(top.indices()));
        return new Padded(rows, top.indices(), tf.math.greater(top.values(), tf.zerosLike(top.values())));
    }

    static Operand<TBool> offDiagonal(Ops tf, Operand<TInt32> labels) {
        Operand<TInt32> rows = tf.range(tf.constant(0), tf.size(labels), tf.constant(1));
        return tf.math.notEqual(tf.expandDims(rows, tf.constant(1)), tf.expandDims(rows, tf.constant(0)));
    }

    /** {@code [B, B]}: whether rows i and j have the same label. */
    static Operand<TBool> sameLabel(Ops tf, Operand<TInt32> labels) {
        return tf.math.equal(tf.expandDims(labels, tf.constant(1)), tf.expandDims(labels, tf.constant(0)));
    }

    /** {@code matrix[i[k], j[k]]} for every k, through a flattened {@code GatherV2} (differentiable). */
    public static Operand<TFloat32> at(Ops tf, Operand<TFloat32> matrix, Operand<TInt32> i, Operand<TInt32> j) {
        Operand<TInt32> columns = tf.slice(tf.shape(tf.stopGradient(matrix)), tf.constant(new int[] {1}), tf.constant(new int[] {1}));
        Operand<TInt32> flat = tf.math.add(tf.math.mul(i, columns), j);
        return tf.gather(tf.reshape(matrix, tf.constant(new int[] {-1})), flat, tf.constant(0));
    }

    /** {@code [B, B]} true where some pair {@code (i[k], j[k])} points. */
    static Operand<TBool> mask(Ops tf, Operand<TFloat32> matrix, Operand<TInt32> i, Operand<TInt32> j) {
        Operand<TFloat32> counts = counts(tf, matrix, i, j);
        return tf.math.greater(counts, tf.zerosLike(counts));
    }

    /** {@code [B, B]}: how many pairs {@code (i[k], j[k])} point at each entry (a constant of the indices). */
    static Operand<TFloat32> counts(Ops tf, Operand<TFloat32> matrix, Operand<TInt32> i, Operand<TInt32> j) {
        Operand<TInt32> indices = tf.stack(List.of(i, j), Stack.axis(1L));
        return tf.scatterNd(indices, tf.dtypes.cast(tf.onesLike(i), TFloat32.class),
                tf.shape(tf.stopGradient(matrix)));
    }

    /**
     * Per row, {@code log(exp(0) + sum over masked j of exp(x[r, j]))} when {@code addOne}, else
     * {@code log(sum over masked j of exp(x[r, j]))} (rows with nothing masked: 0), stabilised by
     * the row maximum (held constant for the gradient). Masked-out entries never reach an
     * {@code exp}, so no infinity or NaN leaks into the gradient.
     */
    static Operand<TFloat32> logSumExp(Ops tf, Operand<TFloat32> x, Operand<TBool> mask, boolean addOne) {
        // scalars and [B, 1] columns broadcast by SelectV2: no [B, B] fill
        Operand<TFloat32> rowMax = tf.reduceMax(tf.select(mask, x, tf.constant(LOWEST)), tf.constant(1), ReduceMax.keepDims(true));
        Operand<TFloat32> anyMasked = tf.stopGradient(tf.reduceMax(
                tf.dtypes.cast(mask, TFloat32.class), tf.constant(1), ReduceMax.keepDims(true)));
        // rows with no entry: max 0 (exp(0 - 0) = 1 from the added one, or a dummy that is zeroed below)
        Operand<TFloat32> max = tf.stopGradient(addOne
                ? tf.math.maximum(rowMax, tf.zerosLike(tf.stopGradient(rowMax)))
                : tf.math.mul(rowMax, anyMasked));
        Operand<TFloat32> shifted = tf.math.sub(tf.select(mask, x, max), max);
        Operand<TFloat32> exps = tf.select(mask, tf.math.exp(shifted), tf.constant(0f));
        Operand<TFloat32> sum = tf.reduceSum(exps, tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true));
        Operand<TFloat32> lse;
        if (addOne) {
            lse = tf.math.add(max, tf.math.log(tf.math.add(sum, tf.math.exp(tf.math.neg(max)))));
        } else {
            // rows with nothing masked: log(1) = 0 instead of log(0)
            Operand<TFloat32> safeSum = tf.math.add(sum, tf.math.sub(tf.math.add(tf.zerosLike(tf.stopGradient(anyMasked)), tf.constant(1f)), anyMasked));
            lse = tf.math.add(max, tf.math.log(safeSum));
        }
        return tf.squeeze(lse, org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
    }

    private static Operand<TInt32> column(Ops tf, Operand<TInt64> where, int column) {
        return tf.dtypes.cast(tf.gather(where, tf.constant(column), tf.constant(1)), TInt32.class);
    }
}
