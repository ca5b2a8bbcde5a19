package dev.realitycheck.train;

/** Receives a training run's progress, on the training thread. */
public interface TrainingListener {

    /** Called after every iteration. */
    void onProgress(TrainingProgress progress);

    /** Called after a checkpoint is completely written. */
    default void onCheckpoint(Checkpoint checkpoint) {
    }

    /** @return a listener that ignores everything */
    static TrainingListener none() {
        return p -> { };
    }
}
