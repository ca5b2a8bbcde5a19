package dev.realitycheck.search;

import java.util.Map;
import java.util.Objects;

/**
 * A finished trial: the hyperparameters it used and the objective it reached (higher is better,
 * e.g. mean validation MAP@R over the folds).
 *
 * @param parameters the trial's value of every searched hyperparameter
 * @param value      the objective, finite
 */
public record Observation(Map<String, Double> parameters, double value) {

    /** Copies the parameters and checks the value is finite. */
    public Observation {
        parameters = Map.copyOf(Objects.requireNonNull(parameters, "parameters"));
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value + " for " + parameters);
        }
    }
}
