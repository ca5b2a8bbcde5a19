package dev.realitycheck.loss;

import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.distance.LpDistance;
import dev.realitycheck.model.Initializer;
import dev.realitycheck.model.VariableSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The margin loss (Wu et al. 2017, "Sampling matters"), as pytorch-metric-learning's
 * {@code MarginLoss}: for every triplet (all of the batch's, or mined; mined pairs are combined by
 * anchor) {@code relu(d_ap - β + margin) + relu(β - d_an + margin)}, summed and divided by the
 * number of non-zero positive and negative terms (0 if none), plus {@code ν·β}.
 *
 * <p>With {@code learnBeta}, β is trainable: one value, or one per class (indexed by the anchor's
 * label, the regulariser then averaged like the margin terms) when {@code numClasses > 0}. The
 * parameter {@link #BETA} holds the <em>offset</em> from {@code beta} and starts at zeros (the
 * variable specs cannot say "fill with 1.2"); β = beta + offset has the same gradient as β itself.
 *
 * @param margin     finite; PML default 0.2
 * @param nu         the β regulariser weight, finite; PML default 0
 * @param beta       the initial (or fixed) β, finite; PML default 1.2
 * @param learnBeta  whether β is trained; PML default false
 * @param numClasses 0 for one β, else the number of classes (one β each)
 * @param distance   PML default {@link LpDistance}
 */
public record MarginLoss(double margin, double nu, double beta, boolean learnBeta, int numClasses, Distance distance)
        implements Loss {

    /** The name of the β-offset parameter (only with {@code learnBeta}). */
    public static final String BETA = "loss_beta_offset";

    /** Validates the settings. */
    public MarginLoss {
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be finite, was " + margin);
        }
        if (!Double.isFinite(nu)) {
            throw new IllegalArgumentException("nu must be finite, was " + nu);
        }
        if (!Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite, was " + beta);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be 0 (one beta) or positive, was " + numClasses);
        }
        Objects.requireNonNull(distance, "distance");
    }

    /** PML's defaults: margin 0.2, ν 0, β 1.2 fixed, {@link LpDistance}. */
    public MarginLoss() {
        this(0.2, 0, 1.2, false, 0, new LpDistance());
    }

    @Override
    public List<VariableSpec> parameters() {
        return learnBeta ? List.of(new VariableSpec(BETA, List.of(Math.max(numClasses, 1)), Initializer.ZEROS))
                : List.of();
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        TupleIndices.TripletIndices triplets = GraphTuples.triplets(tf, labels, mined);
        Operand<TFloat32> betaVector = tf.constant(new float[] {(float) beta});
        if (learnBeta) {
            betaVector = tf.math.add(ClassWeights.get(parameters, parameters().getFirst()), betaVector);
        }
        Operand<TFloat32> b = learnBeta && numClasses > 0
                ? tf.gather(betaVector, tf.gather(labels, triplets.a(), tf.constant(0)), tf.constant(0))
                : betaVector; // [1] broadcasts over the triplets
        Operand<TFloat32> matrix = distance.matrix(tf, embeddings);
        Operand<TFloat32> ap = GraphTuples.at(tf, matrix, triplets.a(), triplets.p());
        Operand<TFloat32> an = GraphTuples.at(tf, matrix, triplets.a(), triplets.n());
        Operand<TFloat32> m = tf.constant((float) margin);
        Operand<TFloat32> positive = tf.nn.relu(tf.math.add(distance.margin(tf, ap, b), m));
        Operand<TFloat32> negative = tf.nn.relu(tf.math.add(distance.margin(tf, b, an), m));
        Operand<TFloat32> divisor = tf.stopGradient(tf.math.add(countPositive(tf, positive), countPositive(tf, negative)));
        Operand<TFloat32> safeDivisor = tf.math.maximum(divisor, tf.constant(1f));
        Operand<TFloat32> loss = tf.math.div(tf.reduceSum(tf.math.add(positive, negative), tf.constant(0)), safeDivisor);
        if (learnBeta && nu != 0) {
            Operand<TFloat32> regulariser = numClasses > 0
                    // PML's divisor reduction gives 0 when no term is non-zero
                    ? tf.math.mul(tf.math.div(tf.reduceSum(b, tf.constant(0)), safeDivisor),
                            tf.math.minimum(divisor, tf.constant(1f)))
                    : tf.reduceSum(betaVector, tf.constant(0));
            loss = tf.math.add(loss, tf.math.mul(tf.constant((float) nu), regulariser));
        }
        return loss;
    }

    private static Operand<TFloat32> countPositive(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> zero = tf.zerosLike(tf.stopGradient(x));
        return tf.reduceSum(tf.select(tf.math.greater(x, zero), tf.math.add(zero, tf.constant(1f)), zero),
                tf.constant(0));
    }
}
