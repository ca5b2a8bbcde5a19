package dev.realitycheck.loss;

import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.distance.LpDistance;
import dev.realitycheck.loss.reducer.AvgNonZeroReducer;
import dev.realitycheck.loss.reducer.Reducer;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The triplet margin loss, as pytorch-metric-learning's {@code TripletMarginLoss} with
 * {@code triplets_per_anchor="all"}, no swap, no smoothing: each triplet costs
 * {@code relu(d(a, p) - d(a, n) + margin)} (mirrored for a similarity); without a miner every
 * triplet of the batch is used.
 *
 * @param margin   finite; PML default 0.05
 * @param distance PML default {@link LpDistance} (normalised, p = 2)
 * @param reducer  PML default {@link AvgNonZeroReducer}
 */
public record TripletMarginLoss(double margin, Distance distance, Reducer reducer) implements Loss {

    /** Validates the margin. */
    public TripletMarginLoss {
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be finite, was " + margin);
        }
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults. */
    public TripletMarginLoss() {
        this(0.05, new LpDistance(), new AvgNonZeroReducer());
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> matrix = distance.matrix(tf, embeddings);
        if (mined == null) {
            // every triplet, anchor by anchor as a dense [B, P, N] tensor (no per-triplet gather)
            GraphTuples.Dense all = GraphTuples.denseTriplets(tf, matrix, labels,
                    (ap, an) -> tf.nn.relu(tf.math.add(distance.margin(tf, ap, an), tf.constant((float) margin))));
            return reducer.reduce(tf, all.values(), all.valid());
        }
        TupleIndices.TripletIndices triplets = GraphTuples.triplets(tf, labels, mined);
        Operand<TFloat32> ap = GraphTuples.at(tf, matrix, triplets.a(), triplets.p());
        Operand<TFloat32> an = GraphTuples.at(tf, matrix, triplets.a(), triplets.n());
        Operand<TFloat32> violation = tf.math.add(distance.margin(tf, ap, an), tf.constant((float) margin));
        return reducer.reduce(tf, tf.nn.relu(violation));
    }
}
