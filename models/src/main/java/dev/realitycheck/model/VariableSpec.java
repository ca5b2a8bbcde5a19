package dev.realitycheck.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One variable of a network: its name in the graph (and in the SavedModel's checkpoint), its
 * shape and how an untrained network fills it.
 *
 * <p>Names are restricted to {@code [A-Za-z][A-Za-z0-9_]*}: TensorFlow Java's framework optimizers
 * mishandle {@code /} in variable names, and a trained graph must use the same names as the
 * exported inference graph.
 *
 * @param name        the variable's graph name, e.g. {@code dense0_kernel}
 * @param shape       positive dimensions; kernels are {@code [in, out]} (dense) or
 *                    {@code [kh, kw, in, out]} (convolution)
 * @param initializer how {@link Weights#initial} fills it
 */
public record VariableSpec(String name, List<Integer> shape, Initializer initializer) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /** Validates the name and shape. */
    public VariableSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("variable name must match " + NAME + ", was '" + name + "'");
        }
        shape = List.copyOf(Objects.requireNonNull(shape, "shape"));
        Objects.requireNonNull(initializer, "initializer");
        if (shape.isEmpty() || shape.stream().anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("variable " + name + ": shape must have positive dimensions, was "
                    + shape);
        }
        if (shape.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("variable " + name + ": shape " + shape + " is too large");
        }
    }

    /** @return the number of values */
    public int size() {
        return shape.stream().mapToInt(Integer::intValue).reduce(1, Math::multiplyExact);
    }

    /** @return the shape as TensorFlow dimensions */
    public long[] dims() {
        return shape.stream().mapToLong(Integer::longValue).toArray();
    }

    /** @return inputs per output: all but the last dimension multiplied (1 for vectors) */
    int fanIn() {
        return shape.size() == 1 ? 1 : size() / shape.getLast();
    }

    /** @return outputs per input: the last dimension times the receptive field of a convolution */
    int fanOut() {
        if (shape.size() == 1) {
            return shape.getFirst();
        }
        return size() / shape.get(shape.size() - 2);
    }
}
