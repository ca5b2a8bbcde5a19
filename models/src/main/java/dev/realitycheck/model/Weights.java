package dev.realitycheck.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.SplittableRandom;

/**
 * The values of every variable of one {@link Architecture}, by variable name, each row-major in
 * the variable's shape: what an exporter writes into a SavedModel.
 *
 * <p>Immutable: the arrays are copied in and {@link #get} copies them out. Untrained networks come
 * from {@link #initial(Architecture, long)}; a trainer passes the values it read back from its own
 * graph to {@link #of(Architecture, Map)}.
 */
public final class Weights {

    private final Architecture architecture;
    private final Map<String, float[]> values;

    private Weights(Architecture architecture, Map<String, float[]> values) {
        this.architecture = architecture;
        this.values = values;
    }

    /**
     * Checks and copies trained (or otherwise given) values.
     *
     * @param architecture the network they belong to
     * @param values       exactly one array per variable of {@code architecture}, of its size, all
     *                     finite
     * @return the weights
     * @throws IllegalArgumentException naming the missing, unknown, mis-sized or non-finite variable
     */
    public static Weights of(Architecture architecture, Map<String, float[]> values) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(values, "values");
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (VariableSpec spec : architecture.variables()) {
            float[] v = values.get(spec.name());
            if (v == null) {
                throw new IllegalArgumentException("no values for variable " + spec.name() + " " + spec.shape());
            }
            if (v.length != spec.size()) {
                throw new IllegalArgumentException("variable " + spec.name() + " " + spec.shape() + " needs "
                        + spec.size() + " values, got " + v.length);
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException("variable " + spec.name() + " value " + i + " is " + v[i]);
                }
            }
            copy.put(spec.name(), v.clone());
        }
        for (String name : values.keySet()) {
            if (!copy.containsKey(name)) {
                throw new IllegalArgumentException("unknown variable " + name + "; the architecture has "
                        + copy.keySet());
            }
        }
        return new Weights(architecture, copy);
    }

    /**
     * The weights of an untrained network: each variable filled by its {@link Initializer}, the
     * random ones from their own {@link SplittableRandom#split() split} of {@code new
     * SplittableRandom(seed)}, taken in {@link Architecture#variables()} order. The same seed
     * gives the same values, bit for bit, on every JVM.
     */
    public static Weights initial(Architecture architecture, long seed) {
        return initial(architecture, seed, Initialization.GLOROT);
    }

    /**
     * The weights of an untrained network under an {@link Initialization} scheme, drawn as
     * {@link #initial(Architecture, long)} draws them (one split per variable, in order), so
     * {@link Initialization#GLOROT} gives exactly its values.
     */
    public static Weights initial(Architecture architecture, long seed, Initialization initialization) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(initialization, "initialization");
        SplittableRandom root = new SplittableRandom(seed);
        Map<String, VariableSpec> specs = new LinkedHashMap<>();
        architecture.variables().forEach(v -> specs.put(v.name(), v));
        Map<String, float[]> values = new LinkedHashMap<>();
        for (VariableSpec spec : specs.values()) {
            values.put(spec.name(), initialization.fill(spec, specs, root.split()));
        }
        return new Weights(architecture, values);
    }

    /** @return the network these weights belong to */
    public Architecture architecture() {
        return architecture;
    }

    /** @return the variable names, in {@link Architecture#variables()} order */
    public SequencedSet<String> names() {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(values.keySet()));
    }

    /**
     * @param name a variable name
     * @return a copy of its values, row-major
     * @throws IllegalArgumentException if there is no such variable
     */
    public float[] get(String name) {
        return view(name).clone();
    }

    /** The stored array itself, for exporters that only read it. */
    float[] view(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown variable " + name + "; the architecture has " + values.keySet());
        }
        return v;
    }
}
