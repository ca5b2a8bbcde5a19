package dev.realitycheck.loss;

import dev.realitycheck.loss.distance.LpDistance;
import dev.realitycheck.loss.reducer.MeanReducer;
import dev.realitycheck.loss.reducer.Reducer;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * FastAP (Cakir et al. 2019), as pytorch-metric-learning's {@code FastAPLoss}: average precision
 * over a soft histogram of squared Euclidean distances between normalised rows (in [0, 4]). With
 * {@code numBins} bins of width {@code Δ = 4 / numBins} and centres {@code 0, Δ, …, 4}, each pair
 * adds {@code relu(1 - |d² - centre| / Δ)} to a bin; per anchor with {@code N+ > 0} positives,
 * {@code FastAP = (1/N+) Σ_b h+_b H+_b / H_b} (H: cumulative counts, terms with a zero product or
 * a zero total skipped) and the loss is {@code 1 - FastAP}, reduced over those anchors. Uses every
 * pair of the batch (mined tuples are ignored, as PML only uses them as weights).
 *
 * @param numBins positive; PML default 10
 * @param reducer PML default {@link MeanReducer}
 */
public record FastAPLoss(int numBins, Reducer reducer) implements Loss {

    /** Validates the bin count. */
    public FastAPLoss {
        if (numBins <= 0) {
            throw new IllegalArgumentException("numBins must be positive, was " + numBins);
        }
        Objects.requireNonNull(reducer, "reducer");
    }

    /** PML's defaults: 10 bins, mean. */
    public FastAPLoss() {
        this(10, new MeanReducer());
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        Operand<TFloat32> squared = new LpDistance(2, true, 2).matrix(tf, embeddings); // [B, B]
        int edges = numBins + 1;
        float delta = 4f / numBins;
        float[] centres = new float[edges];
        for (int k = 0; k < edges; k++) {
            centres[k] = 4f * k / numBins;
        }
        Operand<TFloat32> mid = tf.reshape(tf.constant(centres), tf.constant(new int[] {-1, 1, 1}));
        Operand<TFloat32> pulse = tf.nn.relu(tf.math.sub(tf.constant(1f),
                tf.math.div(tf.math.abs(tf.math.sub(tf.expandDims(squared, tf.constant(0)), mid)),
                        tf.constant(delta)))); // [K, B, B]
        Operand<TBool> same = GraphTuples.sameLabel(tf, labels);
        Operand<TFloat32> positive = tf.dtypes.cast(tf.math.logicalAnd(same, GraphTuples.offDiagonal(tf, labels)),
                TFloat32.class);
        Operand<TFloat32> negative = tf.dtypes.cast(tf.math.logicalNot(same), TFloat32.class);
        Operand<TInt32> transpose = tf.constant(new int[] {1, 0});
        Operand<TFloat32> positiveHistogram = tf.linalg.transpose(
                tf.reduceSum(tf.math.mul(pulse, positive), tf.constant(2)), transpose); // [B, K]
        Operand<TFloat32> negativeHistogram = tf.linalg.transpose(
                tf.reduceSum(tf.math.mul(pulse, negative), tf.constant(2)), transpose);
        // cumulative sums over the bins as a product with an upper-triangular matrix of ones
        float[][] upper = new float[edges][edges];
        for (int from = 0; from < edges; from++) {
            for (int to = from; to < edges; to++) {
                upper[from][to] = 1;
            }
        }
        Operand<TFloat32> cumulative = tf.constant(upper);
        Operand<TFloat32> positiveTotal = tf.linalg.matMul(positiveHistogram, cumulative);
        Operand<TFloat32> total = tf.linalg.matMul(tf.math.add(positiveHistogram, negativeHistogram), cumulative);
        Operand<TFloat32> product = tf.math.mul(positiveHistogram, positiveTotal);
        Operand<TFloat32> zero = tf.zerosLike(tf.stopGradient(product));
        Operand<TBool> safe = tf.math.logicalAnd(tf.math.greater(product, zero), tf.math.greater(total, zero));
        Operand<TFloat32> ratio = tf.select(safe,
                tf.math.div(product, tf.select(safe, total, tf.math.add(zero, tf.constant(1f)))), zero);
        Operand<TFloat32> positives = tf.reduceSum(positive, tf.constant(1)); // [B]
        Operand<TInt64> anchors = tf.where(tf.math.greater(positives, tf.constant(0f)));
        Operand<TInt32> kept = tf.dtypes.cast(tf.reshape(anchors, tf.constant(new int[] {-1})), TInt32.class);
        Operand<TFloat32> fastAp = tf.math.div(
                tf.gather(tf.reduceSum(ratio, tf.constant(1), ReduceSum.keepDims(false)), kept, tf.constant(0)),
                tf.gather(positives, kept, tf.constant(0)));
        return reducer.reduce(tf, tf.math.sub(tf.constant(1f), fastAp));
    }
}
