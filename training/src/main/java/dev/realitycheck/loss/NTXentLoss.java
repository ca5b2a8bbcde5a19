package dev.realitycheck.loss;

import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.reducer.MeanReducer;
import dev.realitycheck.loss.reducer.Reducer;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * NT-Xent (the normalised temperature-scaled cross entropy of SimCLR; InfoNCE), as
 * pytorch-metric-learning's {@code NTXentLoss}: every positive pair {@code (a, p)} costs
 * {@code -log(exp(s_ap/τ) / (exp(s_ap/τ) + Σ_n exp(s_an/τ)) + tiny)}, the sum over the negative
 * pairs with the same anchor ({@code tiny} = {@link Float#MIN_NORMAL}, PML's {@code small_val}).
 * For a distance (not a similarity) the values are negated first. Without any negative pair in the
 * batch the loss is 0.
 *
 * @param temperature positive and finite; PML default 0.07
 * @param distance    PML default {@link CosineSimilarity}
 * @param reducer     over the positive pairs; PML default {@link MeanReducer}
 */
public record NTXentLoss(double temperature, Distance distance, Reducer reducer) implements Loss {

    /** Validates the temperature. */
    public NTXentLoss {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, was " + temperature);
        }
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults. */
    public NTXentLoss() {
        this(0.07, new CosineSimilarity(), new MeanReducer());
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        TupleIndices.PairIndices pairs = GraphTuples.pairs(tf, labels, mined);
        Operand<TFloat32> matrix = distance.matrix(tf, embeddings);
        if (!distance.isInverted()) {
            matrix = tf.math.neg(matrix);
        }
        Operand<TFloat32> scaled = tf.math.mul(matrix, tf.constant((float) (1 / temperature))); // [B, B]
        // negatives enter per anchor through a [B, B] count matrix (a repeated pair counts again, as
        // in PML), never through a [positives x negatives] one: O(B^2) memory, not O(B^4)
        Operand<TFloat32> negativeCounts = GraphTuples.counts(tf, matrix, pairs.a2(), pairs.n());
        Operand<TFloat32> positiveCounts = GraphTuples.counts(tf, matrix, pairs.a1(), pairs.p());
        Operand<TFloat32> zero = tf.zerosLike(negativeCounts);
        Operand<TBool> negative = tf.math.greater(negativeCounts, zero);
        Operand<TBool> used = tf.math.greater(tf.math.add(negativeCounts, positiveCounts), zero);
        // per-anchor stabiliser: the largest value among the anchor's pairs (any constant gives the same loss)
        Operand<TFloat32> lowest = tf.fill(tf.shape(tf.stopGradient(scaled)), tf.constant(GraphTuples.LOWEST));
        Operand<TFloat32> max = tf.stopGradient(tf.reduceMax(tf.select(used, scaled, lowest), tf.constant(1),
                ReduceMax.keepDims(true))); // [B, 1]
        Operand<TFloat32> shifted = tf.math.sub(tf.select(negative, scaled, tf.broadcastTo(max, tf.shape(scaled))), max);
        Operand<TFloat32> negativeSums = tf.reduceSum(
                tf.math.mul(tf.select(negative, tf.math.exp(shifted), zero), negativeCounts), tf.constant(1)); // [B]
        Operand<TFloat32> anchorMax = tf.gather(tf.reshape(max, tf.constant(new int[] {-1})), pairs.a1(),
                tf.constant(0));
        Operand<TFloat32> numerator = tf.math.exp(tf.math.sub(GraphTuples.at(tf, scaled, pairs.a1(), pairs.p()),
                anchorMax)); // [P]
        Operand<TFloat32> denominator = tf.math.add(numerator, tf.gather(negativeSums, pairs.a1(), tf.constant(0)));
        Operand<TFloat32> losses = tf.math.neg(tf.math.log(
                tf.math.add(tf.math.div(numerator, denominator), tf.constant(Float.MIN_NORMAL))));
        // PML returns no loss at all when the batch has no negative pair
        Operand<TFloat32> anyNegative = tf.stopGradient(tf.math.minimum(
                tf.dtypes.cast(tf.size(pairs.a2()), TFloat32.class), tf.constant(1f)));
        Operand<TFloat32> perPair = tf.math.mul(losses, anyNegative);
        return reducer.reduce(tf, perPair);
    }
}
