package dev.realitycheck.model;

/**
 * How the BatchNorm layers of a trunk behave in a training graph (the exported inference graph
 * always uses the moving statistics). Architectures without BatchNorm ignore it.
 */
public enum BatchNormMode {

    /**
     * Normalise each batch with its own per-channel mean and variance, train {@code gamma} and
     * {@code beta} by gradient, and after every step move the moving statistics toward the
     * batch's: {@code moving = momentum * moving + (1 - momentum) * batch} with momentum
     * {@value BatchNorm#MOMENTUM} (PyTorch's default; the variance is the unbiased batch variance,
     * as PyTorch and TensorFlow keep it).
     */
    TRAINING,

    /**
     * The paper's frozen BatchNorm: the inference form with the moving statistics, neither they
     * nor {@code gamma} and {@code beta} change during training.
     */
    FROZEN
}
