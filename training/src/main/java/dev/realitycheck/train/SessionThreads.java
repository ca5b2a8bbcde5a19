package dev.realitycheck.train;

import org.tensorflow.proto.ConfigProto;

/**
 * TensorFlow's thread pools for a training session: {@code intraOp} threads inside one op (matrix
 * products), {@code interOp} ops run side by side; 0 lets TensorFlow choose (all cores). Part of a
 * run's settings because the thread count may change the order of floating-point sums: resume a
 * run with the settings it started with.
 *
 * @param intraOp threads per op, non-negative (0: TensorFlow's default)
 * @param interOp concurrent ops, non-negative (0: TensorFlow's default)
 */
public record SessionThreads(int intraOp, int interOp) {

    /** TensorFlow's defaults. */
    public static final SessionThreads DEFAULT = new SessionThreads(0, 0);

    /** Validates the counts. */
    public SessionThreads {
        if (intraOp < 0) {
            throw new IllegalArgumentException("intraOp must not be negative, was " + intraOp);
        }
        if (interOp < 0) {
            throw new IllegalArgumentException("interOp must not be negative, was " + interOp);
        }
    }

    /** @return the session configuration */
    ConfigProto config() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOp)
                .setInterOpParallelismThreads(interOp)
                .build();
    }
}
