package dev.realitycheck.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The named setting {@code initialization}: how new layers (and, in the trainer, a loss's own
 * parameters) are initialised, so a run can be matched with a PyTorch one. The default,
 * {@link #GLOROT}, is what every variable's {@link VariableSpec#initializer()} says; results made
 * before this setting existed do not move.
 */
public enum Initialization {

    /** Today's: kernels Glorot uniform, biases zero, loss parameters Glorot uniform. */
    GLOROT,

    /**
     * PyTorch's defaults: a kernel that would be Glorot uniform is {@link Initializer#PYTORCH_UNIFORM}
     * ({@code torch.nn.Linear}/{@code Conv2d}'s {@code kaiming_uniform_(a=sqrt(5))}); the bias
     * {@code <layer>_bias} of a layer with a kernel {@code <layer>_kernel} is
     * {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} with that kernel's fan-in; BatchNorm stays ones and
     * zeros. Loss parameters as pytorch-metric-learning initialises each (the trainer asks the loss).
     */
    PYTORCH;

    /**
     * @param name {@code glorot} or {@code pytorch} (any case); empty for the default
     * @throws IllegalArgumentException naming the known values
     */
    public static Initialization named(String name) {
        if (name.isEmpty()) {
            return GLOROT;
        }
        return Arrays.stream(values()).filter(v -> v.settingName().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not an initialization: known are "
                        + Arrays.stream(values()).map(Initialization::settingName).toList()));
    }

    /** @return the name a spec uses: {@code glorot} or {@code pytorch} */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Fills one network variable under this scheme.
     *
     * @param spec      the variable
     * @param variables every variable of its architecture by name (for a bias, its layer's kernel)
     * @param random    its own random stream
     * @return {@code spec.size()} values
     */
    float[] fill(VariableSpec spec, Map<String, VariableSpec> variables, SplittableRandom random) {
        if (this == GLOROT) {
            return spec.initializer().fill(spec, random);
        }
        if (spec.initializer() == Initializer.GLOROT_UNIFORM) {
            return Initializer.PYTORCH_UNIFORM.fill(spec, random);
        }
        if (spec.name().endsWith("_bias")) {
            VariableSpec kernel = variables.get(spec.name().substring(0, spec.name().length() - "_bias".length())
                    + "_kernel");
            if (kernel != null) {
                float[] values = new float[spec.size()];
                Initializer.uniform(values, 1 / Math.sqrt(kernel.fanIn()), random);
                return values;
            }
        }
        return spec.initializer().fill(spec, random);
    }
}
