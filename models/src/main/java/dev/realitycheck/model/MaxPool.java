package dev.realitycheck.model;

import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Square max-pooling without padding, as TensorFlow's {@code MaxPool} with the window in
 * attributes. TensorFlow Java's {@code tf.nn.maxPool} emits {@code MaxPoolV2} (window as tensors),
 * whose gradient ({@code MaxPoolGradV2}) has no oneDNN kernel here and took a third to a half of a
 * CNN training step's op time; {@code MaxPool} and {@code MaxPoolGrad} run on oneDNN.
 */
final class MaxPool {

    private MaxPool() {
    }

    /** Max-pools {@code NHWC} {@code x} with a {@code window x window} window, VALID. */
    static Operand<TFloat32> valid(Ops tf, Operand<TFloat32> x, int window, int stride) {
        Operation pool = tf.scope().opBuilder("MaxPool", "MaxPool")
                .addInput(x.asOutput())
                .setAttr("ksize", new long[] {1, window, window, 1})
                .setAttr("strides", new long[] {1, stride, stride, 1})
                .setAttr("padding", "VALID")
                .build();
        return pool.output(0);
    }
}
