package dev.realitycheck.train;

/**
 * What every update of a run does besides its optimizers' rules: an optional linear learning-rate
 * warm-up and optional gradient clipping by global norm. Both are functions of the step counter
 * and of this step's gradients only, so a resumed run repeats an uninterrupted one bit for bit.
 *
 * <ul>
 *   <li>Warm-up: update {@code t} (1-based) uses every optimizer's learning rate times
 *       {@code min(1, t / warmupIterations)}; 0 has no warm-up.</li>
 *   <li>Clipping, as PyTorch's {@code clip_grad_norm_} over every trained variable (trunk, embedder
 *       and loss together): {@code n = sqrt(sum of all squared gradient entries)}, every gradient
 *       times {@code min(1, maxGradientNorm / (n + 1e-6))}, before the optimizers add their weight
 *       decay; 0 has no clipping.</li>
 * </ul>
 *
 * @param warmupIterations updates over which the learning rates rise linearly to their values; >= 0
 * @param maxGradientNorm  the largest global gradient norm; finite and >= 0
 */
public record UpdateSettings(int warmupIterations, float maxGradientNorm) {

    /** No warm-up, no clipping. */
    public static final UpdateSettings NONE = new UpdateSettings(0, 0f);

    /** The {@code + 1e-6} of PyTorch's clipping coefficient. */
    static final float CLIP_EPSILON = 1e-6f;

    /** Validates the settings, naming the bad one. */
    public UpdateSettings {
        if (warmupIterations < 0) {
            throw new IllegalArgumentException("warmupIterations must be >= 0, was " + warmupIterations);
        }
        Optimizer.check("maxGradientNorm", maxGradientNorm, false);
    }

    /** @return whether the learning rates warm up */
    public boolean warmsUp() {
        return warmupIterations > 0;
    }

    /** @return whether gradients are clipped */
    public boolean clips() {
        return maxGradientNorm > 0f;
    }
}
