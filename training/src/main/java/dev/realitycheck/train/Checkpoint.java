package dev.realitycheck.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A checkpoint a training run wrote.
 *
 * @param iteration the completed iterations it holds
 * @param model     the inference SavedModel directory (see {@link dev.realitycheck.model.SavedModelExporter})
 * @param state     the {@link TrainingState} file to resume from
 */
public record Checkpoint(long iteration, Path model, Path state) {

    /** Validates. */
    public Checkpoint {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must not be negative, was " + iteration);
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(state, "state");
    }
}
