package dev.realitycheck.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A trunk as a training graph holds it: its output, the variables no gradient trains, and the new
 * values of the variables a training step sets by assignment instead (BatchNorm moving
 * statistics).
 *
 * @param output     the embeddings before L2 normalisation, {@code [-1, E]}
 * @param notTrained names of the architecture's variables that get no gradient update (moving
 *                   statistics always; {@code gamma} and {@code beta} too when frozen)
 * @param assigned   (both kept in the given order) per variable set by assignment, the value it takes after a step (computed from
 *                   the batch); its keys are a subset of {@code notTrained}
 */
public record TrainingTrunk(Operand<TFloat32> output, Set<String> notTrained,
                            Map<String, Operand<TFloat32>> assigned) {

    /** Validates and copies. */
    public TrainingTrunk {
        Objects.requireNonNull(output, "output");
        notTrained = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(notTrained));
        assigned = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(assigned));
        for (String name : assigned.keySet()) {
            if (!notTrained.contains(name)) {
                throw new IllegalArgumentException("variable " + name + " is assigned but also trained by gradient");
            }
        }
    }
}
