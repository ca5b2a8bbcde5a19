package dev.realitycheck.train;

/**
 * Where a {@link TrainingRun}'s steps spent their wall time so far, summed over steps: a short
 * profile of what bounds training.
 *
 * @param steps          the steps timed
 * @param prepareNanos   Java-side batch preparation: sampling, copying pixels, augmentation, input tensors
 * @param embedNanos     the extra session call that computes the batch's embeddings for a miner
 * @param mineNanos      the miner itself (Java) and feeding its tuples
 * @param trainNanos     the training session call: forward, loss, gradients and updates
 */
public record StepTimings(long steps, long prepareNanos, long embedNanos, long mineNanos, long trainNanos) {

    /** No steps timed. */
    public static final StepTimings NONE = new StepTimings(0, 0, 0, 0, 0);

    /** @return the sum of every part */
    public long totalNanos() {
        return prepareNanos + embedNanos + mineNanos + trainNanos;
    }

    /** @return these timings plus one step's */
    StepTimings plus(long prepare, long embed, long mine, long train) {
        return new StepTimings(steps + 1, prepareNanos + prepare, embedNanos + embed, mineNanos + mine,
                trainNanos + train);
    }

    /** @return these timings less {@code earlier} ones of the same run (the steps in between) */
    public StepTimings minus(StepTimings earlier) {
        return new StepTimings(steps - earlier.steps, prepareNanos - earlier.prepareNanos,
                embedNanos - earlier.embedNanos, mineNanos - earlier.mineNanos, trainNanos - earlier.trainNanos);
    }
}
