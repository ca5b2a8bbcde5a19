package dev.realitycheck.model;

import java.util.Objects;

/**
 * Where a variable's values come from in a weight file.
 *
 * @param tensor the tensor's name in the file (e.g. {@code layer1.0.conv1.weight},
 *               {@code conv2_block1_1_conv/vars/0})
 * @param layout how the file lays it out
 */
public record WeightSource(String tensor, WeightLayout layout) {

    /** Validates the components. */
    public WeightSource {
        Objects.requireNonNull(tensor, "tensor");
        Objects.requireNonNull(layout, "layout");
    }
}
