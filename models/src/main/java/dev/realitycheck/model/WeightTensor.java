package dev.realitycheck.model;

import java.util.List;
import java.util.Objects;

/**
 * One tensor of a weight file, as the file holds it: its name there, its shape in the file's
 * layout (e.g. PyTorch's {@code [out, in, kh, kw]}) and its values converted to float32, row-major.
 *
 * @param name   the tensor's name in the file, e.g. {@code layer1.0.conv1.weight}
 * @param shape  its dimensions (empty for a scalar), each non-negative
 * @param values exactly as many values as the shape holds; not copied
 */
public record WeightTensor(String name, List<Integer> shape, float[] values) {

    /** Validates the value count against the shape. */
    public WeightTensor {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(Objects.requireNonNull(shape, "shape"));
        Objects.requireNonNull(values, "values");
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor " + name + ": negative dimension in " + shape);
            }
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("tensor " + name + " " + shape + " needs " + size + " values, got "
                    + values.length);
        }
    }
}
