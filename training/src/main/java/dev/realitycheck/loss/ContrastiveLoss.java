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
 * The contrastive loss (Hadsell et al. 2006), as pytorch-metric-learning's {@code ContrastiveLoss}:
 * positive pairs cost {@code relu(d - posMargin)}, negative pairs {@code relu(negMargin - d)} (for a
 * similarity the margins are mirrored); the positive and the negative losses are reduced separately
 * and the two results added.
 *
 * @param posMargin finite; PML default 0
 * @param negMargin finite; PML default 1
 * @param distance  PML default {@link LpDistance} (normalised, p = 2)
 * @param reducer   PML default {@link AvgNonZeroReducer}
 */
public record ContrastiveLoss(double posMargin, double negMargin, Distance distance, Reducer reducer)
        implements Loss {

    /** Validates the margins. */
    public ContrastiveLoss {
        if (!Double.isFinite(posMargin)) {
            throw new IllegalArgumentException("posMargin must be finite, was " + posMargin);
        }
        if (!Double.isFinite(negMargin)) {
            throw new IllegalArgumentException("negMargin must be finite, was " + negMargin);
        }
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults. */
    public ContrastiveLoss() {
        this(0, 1, new LpDistance(), new AvgNonZeroReducer());
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> matrix = distance.matrix(tf, embeddings);
        if (mined == null) {
            // every pair: the losses of the whole [B, B] matrix, reduced over the pair masks
            GraphTuples.PairMasks masks = GraphTuples.pairMasks(tf, matrix, labels, null);
            return tf.math.add(reducer.reduce(tf, positiveLoss(tf, matrix), masks.positive()),
                    reducer.reduce(tf, negativeLoss(tf, matrix), masks.negative()));
        }
        TupleIndices.PairIndices pairs = GraphTuples.pairs(tf, labels, mined);
        Operand<TFloat32> positive = GraphTuples.at(tf, matrix, pairs.a1(), pairs.p());
        Operand<TFloat32> negative = GraphTuples.at(tf, matrix, pairs.a2(), pairs.n());
        return tf.math.add(reducer.reduce(tf, positiveLoss(tf, positive)), reducer.reduce(tf, negativeLoss(tf, negative)));
    }

    private Operand<TFloat32> positiveLoss(Ops tf, Operand<TFloat32> positive) {
        return tf.nn.relu(distance.margin(tf, positive, tf.constant((float) posMargin)));
    }

    private Operand<TFloat32> negativeLoss(Ops tf, Operand<TFloat32> negative) {
        return tf.nn.relu(distance.margin(tf, tf.constant((float) negMargin), negative));
    }
}
