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

    /**
     * The session configuration. Its inter-op pool is the session's own: TensorFlow's shared pool is
     * sized by the first session of the process, so a later session with another setting would
     * silently run on the first one's threads. The intra-op pool stays the process's (sized by the
     * first session) unless the environment sets {@code TF_OVERRIDE_GLOBAL_THREADPOOL=true}, as
     * {@code bin/bench-training} does to compare settings in one process, and the trainer's images
     * and the local stack's trainer do so that training gets its settings' threads whichever
     * session the process opened first (the image decoder's has one thread).
     *
     * @return the session configuration
     */
    ConfigProto config() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOp)
                .setInterOpParallelismThreads(interOp)
                .setUsePerSessionThreads(true)
                .build();
    }
}
