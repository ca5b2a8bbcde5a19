package dev.realitycheck.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How a variable of an untrained network is filled (see {@link Weights#initial}).
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
    ONES;

    /**
     * Fills {@code values} for a variable of the given shape.
     *
     * @param spec   the variable, whose shape gives the fans
     * @param random the source of the random values; only {@link #GLOROT_UNIFORM} draws from it
     * @return a new array of {@code spec.size()} values
     */
    public float[] fill(VariableSpec spec, SplittableRandom random) {
        float[] values = new float[spec.size()];
        switch (this) {
            case GLOROT_UNIFORM -> {
                double limit = Math.sqrt(6.0 / (spec.fanIn() + spec.fanOut()));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextDouble(-limit, limit);
                }
            }
            case ZEROS -> { }
            case ONES -> Arrays.fill(values, 1f);
        }
        return values;
    }
}
