package dev.realitycheck.train;

/**
 * What one training iteration reports.
 *
 * @param iteration       the iteration just completed, from 1
 * @param loss            the batch loss computed before this iteration's update
 * @param imagesPerSecond batch size over the iteration's wall time (sampling, augmentation,
 *                        mining, the graph run)
 */
public record TrainingProgress(long iteration, float loss, double imagesPerSecond) {

    /** Validates the iteration. */
    public TrainingProgress {
        if (iteration < 1) {
            throw new IllegalArgumentException("iteration must be positive, was " + iteration);
        }
    }
}
