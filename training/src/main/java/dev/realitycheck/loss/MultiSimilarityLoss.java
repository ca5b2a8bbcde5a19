package dev.realitycheck.loss;

import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.reducer.MeanReducer;
import dev.realitycheck.loss.reducer.Reducer;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The multi-similarity loss (Wang et al. 2019), as pytorch-metric-learning's
 * {@code MultiSimilarityLoss}: for each row i of the batch,
 * {@code (1/α) log(1 + Σ_p exp(-α (s_ip - base))) + (1/β) log(1 + Σ_n exp(β (s_in - base)))},
 * over the positive and negative pairs anchored at i (mirrored for a distance); the per-row
 * losses are reduced over all B rows.
 *
 * @param alpha    positive and finite; PML default 2
 * @param beta     positive and finite; PML default 50
 * @param base     finite; PML default 0.5
 * @param distance PML default {@link CosineSimilarity}
 * @param reducer  over the rows; PML default {@link MeanReducer}
 */
public record MultiSimilarityLoss(double alpha, double beta, double base, Distance distance, Reducer reducer)
        implements Loss {

    /** Validates the hyperparameters. */
    public MultiSimilarityLoss {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be positive and finite, was " + alpha);
        }
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, was " + beta);
        }
        if (!Double.isFinite(base)) {
            throw new IllegalArgumentException("base must be finite, was " + base);
        }
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults. */
    public MultiSimilarityLoss() {
        this(2, 50, 0.5, new CosineSimilarity(), new MeanReducer());
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> matrix = distance.matrix(tf, embeddings);
        GraphTuples.PairMasks masks = GraphTuples.pairMasks(tf, matrix, labels, mined);
        Operand<TBool> positiveMask = masks.positive();
        Operand<TBool> negativeMask = masks.negative();
        Operand<TFloat32> baseConstant = tf.constant((float) base);
        Operand<TFloat32> positiveExponent = tf.math.mul(tf.constant((float) alpha),
                distance.margin(tf, matrix, baseConstant));
        Operand<TFloat32> negativeExponent = tf.math.mul(tf.constant((float) beta),
                distance.margin(tf, baseConstant, matrix));
        Operand<TFloat32> positiveLoss = tf.math.mul(tf.constant((float) (1 / alpha)),
                GraphTuples.logSumExp(tf, positiveExponent, positiveMask, true));
        Operand<TFloat32> negativeLoss = tf.math.mul(tf.constant((float) (1 / beta)),
                GraphTuples.logSumExp(tf, negativeExponent, negativeMask, true));
        return reducer.reduce(tf, tf.math.add(positiveLoss, negativeLoss));
    }
}
