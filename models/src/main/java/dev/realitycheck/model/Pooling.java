package dev.realitycheck.model;

import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Square pooling windows over an {@code NHWC} batch, as TensorFlow's {@code MaxPool} and
 * {@code AvgPool} with the window in attributes. TensorFlow Java's {@code tf.nn.maxPool} emits
 * {@code MaxPoolV2} (window as tensors), whose gradient ({@code MaxPoolGradV2}) has no oneDNN
 * kernel here and took a third to a half of a CNN training step's op time; {@code MaxPool} and
 * {@code MaxPoolGrad} run on oneDNN.
 */
final class Pooling {

    private Pooling() {
    }

    /** Max-pool with a {@code size x size} window, {@code stride}, and TensorFlow padding {@code VALID} or {@code SAME}. */
    static Operand<TFloat32> max(Ops tf, Operand<TFloat32> x, int size, int stride, String padding) {
        return pool(tf, "MaxPool", x, size, stride, padding);
    }

    /** Average-pool with a {@code size x size} window, {@code stride}, and TensorFlow padding. */
    static Operand<TFloat32> average(Ops tf, Operand<TFloat32> x, int size, int stride, String padding) {
        return pool(tf, "AvgPool", x, size, stride, padding);
    }

    private static Operand<TFloat32> pool(Ops tf, String type, Operand<TFloat32> x, int size, int stride,
                                          String padding) {
        Operation pool = tf.scope().opBuilder(type, type)
                .addInput(x.asOutput())
                .setAttr("ksize", new long[] {1, size, size, 1})
                .setAttr("strides", new long[] {1, stride, stride, 1})
                .setAttr("padding", padding)
                .build();
        return pool.output(0);
    }
}
