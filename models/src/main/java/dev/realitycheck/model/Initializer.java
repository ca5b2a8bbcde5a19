package dev.realitycheck.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How a variable of an untrained network is filled (see {@link Weights#initial}). Every
 * architecture declares today's (Glorot) initializers; {@link Initialization#PYTORCH} swaps in
 * PyTorch's for the kernels and biases of new layers.
 */
public enum Initializer {

    /**
     * Glorot (Xavier) uniform: {@code U(-l, l)} with {@code l = sqrt(6 / (fanIn + fanOut))}, as
     * Keras' {@code glorot_uniform}; for kernels of dense and convolution layers.
     */
    GLOROT_UNIFORM,
    /** All zeros: biases, BatchNorm offsets ({@code beta}) and moving means. */
    ZEROS,
    /** All ones: BatchNorm scales ({@code gamma}) and moving variances. */
    ONES,
    /**
     * {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}: PyTorch's {@code torch.nn.Linear} and
     * {@code Conv2d} weights ({@code kaiming_uniform_(a=sqrt(5))}); the fan-in is the same in this
     * project's {@code [in, out]} and {@code [kh, kw, in, out]} layouts as in PyTorch's.
     */
    PYTORCH_UNIFORM,
    /** {@code N(0, 1)}: pytorch-metric-learning's default for class weights and proxies ({@code normal_}). */
    STANDARD_NORMAL,
    /**
     * {@code N(0, 2/n)} with n the last dimension (the classes of a {@code [D, C]} proxy matrix):
     * PML's ProxyAnchor proxies, {@code kaiming_normal_(mode="fan_out")} on its {@code [C, D]} layout.
     */
    KAIMING_NORMAL_LAST,
    /**
     * {@code U(-1/sqrt(n), 1/sqrt(n))} with n the last dimension: PML's SoftTriple centers,
     * {@code kaiming_uniform_(a=sqrt(5))} on its {@code [D, C*K]} layout, whose fan-in is C*K.
     */
    UNIFORM_LAST;

    /**
     * Fills {@code values} for a variable of the given shape.
     *
     * @param spec   the variable, whose shape gives the fans
     * @param random the source of the random values; {@link #ZEROS} and {@link #ONES} draw nothing
     * @return a new array of {@code spec.size()} values
     */
    public float[] fill(VariableSpec spec, SplittableRandom random) {
        float[] values = new float[spec.size()];
        switch (this) {
            case GLOROT_UNIFORM -> uniform(values, Math.sqrt(6.0 / (spec.fanIn() + spec.fanOut())), random);
            case ZEROS -> { }
            case ONES -> Arrays.fill(values, 1f);
            case PYTORCH_UNIFORM -> uniform(values, 1 / Math.sqrt(spec.fanIn()), random);
            case STANDARD_NORMAL -> normal(values, 1, random);
            case KAIMING_NORMAL_LAST -> normal(values, Math.sqrt(2.0 / spec.shape().getLast()), random);
            case UNIFORM_LAST -> uniform(values, 1 / Math.sqrt(spec.shape().getLast()), random);
        }
        return values;
    }

    /** Fills {@code values} from {@code U(-bound, bound)}. */
    static void uniform(float[] values, double bound, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
    }

    private static void normal(float[] values, double std, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
    }
}
