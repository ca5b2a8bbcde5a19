package dev.realitycheck.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * BatchNorm over the channels of an {@code NHWC} batch, in TensorFlow's {@code FusedBatchNormV3}.
 *
 * <p>Inference form: {@code gamma * (x - moving_mean) / sqrt(moving_variance + eps) + beta}.
 * Training form: the same with the batch's per-channel mean and (biased) variance in place of the
 * moving statistics, and the moving statistics' next values {@code momentum * moving + (1 -
 * momentum) * batch}, where the batch variance is the unbiased one ({@code n / (n - 1)} times the
 * biased, n = N*H*W), as PyTorch and TensorFlow keep it.
 */
public final class BatchNorm {

    /** Epsilon added to the variance, Keras' default. */
    public static final float EPSILON = 1e-3f;

    /** The moving statistics' decay per step, PyTorch's default ({@code momentum=0.1} there). */
    public static final float MOMENTUM = 0.9f;

    /**
     * A training-form BatchNorm.
     *
     * @param output         the normalised, scaled and shifted batch
     * @param nextMovingMean the moving mean after this step
     * @param nextMovingVariance the moving variance after this step
     */
    public record Training(Operand<TFloat32> output, Operand<TFloat32> nextMovingMean,
                           Operand<TFloat32> nextMovingVariance) {
    }

    private BatchNorm() {
    }

    /** The inference form, normalising with the moving statistics, with {@link #EPSILON}. */
    public static Operand<TFloat32> inference(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma,
                                              Operand<TFloat32> beta, Operand<TFloat32> movingMean,
                                              Operand<TFloat32> movingVariance) {
        return inference(tf, x, gamma, beta, movingMean, movingVariance, EPSILON);
    }

    /**
     * The inference form with another epsilon than {@link #EPSILON}: pretrained trunks keep the one
     * they were trained with (PyTorch's 1e-5, Keras applications' 1.001e-5).
     */
    public static Operand<TFloat32> inference(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma,
                                              Operand<TFloat32> beta, Operand<TFloat32> movingMean,
                                              Operand<TFloat32> movingVariance, float epsilon) {
        return tf.nn.fusedBatchNorm(x, gamma, beta, movingMean, movingVariance,
                FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(false)).y();
    }

    /**
     * The training form: normalises with the batch statistics and computes the moving statistics'
     * next values (to be assigned after the step; nothing is written here).
     */
    public static Training training(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta,
                                    Operand<TFloat32> movingMean, Operand<TFloat32> movingVariance) {
        return training(tf, x, gamma, beta, movingMean, movingVariance, EPSILON);
    }

    /** The training form with another epsilon than {@link #EPSILON}. */
    public static Training training(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta,
                                    Operand<TFloat32> movingMean, Operand<TFloat32> movingVariance, float epsilon) {
        Operand<TFloat32> none = tf.constant(new float[0]);
        FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, gamma, beta, none, none,
                FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(true));
        Operand<TFloat32> keep = tf.constant(MOMENTUM);
        Operand<TFloat32> take = tf.constant(1f - MOMENTUM);
        return new Training(bn.y(),
                tf.math.add(tf.math.mul(movingMean, keep), tf.math.mul(tf.stopGradient(bn.batchMean()), take)),
                tf.math.add(tf.math.mul(movingVariance, keep), tf.math.mul(tf.stopGradient(bn.batchVariance()), take)));
    }
}
