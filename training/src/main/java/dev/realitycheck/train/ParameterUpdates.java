package dev.realitycheck.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The update step of a training graph, in a fixed order: nothing is written before every gradient
 * (and the loss) is computed; each variable's slots are written before the variable itself;
 * different variables share no state; the step counter {@value #STEP} is incremented last. Within
 * one run no op reads a value another op of the run may be writing, so every run gives the same
 * bits. Variables set by assignment rather than by gradient (BatchNorm moving statistics) are
 * written in the same gated phase, from values computed before any write.
 *
 * <p>Creates, in the {@link VariableStore}, the counter and one slot {@code <variable>_<slot>} per
 * trained variable and slot of its optimizer. {@link UpdateSettings} add a warm-up factor to every
 * learning rate (from the counter) and clip the gradients by their global norm before any rule.
 */
final class ParameterUpdates {

    /** The name of the step counter, a float32 scalar variable holding the updates done so far (exact to 2^24). */
    static final String STEP = "train_step";

    /** One optimizer and the variables it trains. */
    record Group(Optimizer optimizer, List<String> variables) {
        Group {
            variables = List.copyOf(variables);
        }
    }

    private ParameterUpdates() {
    }

    /** {@link #build(Ops, VariableStore, List, Map, Map, List, UpdateSettings)} without warm-up or clipping. */
    static Op build(Ops tf, VariableStore store, List<Group> groups, Map<String, Operand<TFloat32>> gradients,
                    Map<String, Operand<TFloat32>> assigned, List<? extends Operand<?>> gate) {
        return build(tf, store, groups, gradients, assigned, gate, UpdateSettings.NONE);
    }

    /**
     * Adds the updates.
     *
     * @param tf        the graph builder
     * @param store     where the trained variables are and the slots go
     * @param groups    the optimizers with their variables; each variable in at most one group
     * @param gradients the gradient of each trained variable, by name
     * @param assigned  variables set to a computed value by the step (no optimizer, no slots), by name;
     *                  none of them may be in a group
     * @param gate      ops that must finish before any write (the loss, at least)
     * @param settings  warm-up and clipping
     * @return the op that runs the whole step
     */
    static Op build(Ops tf, VariableStore store, List<Group> groups, Map<String, Operand<TFloat32>> gradients,
                    Map<String, Operand<TFloat32>> assigned, List<? extends Operand<?>> gate, UpdateSettings settings) {
        Variable<TFloat32> step = store.create(STEP, new long[0]);
        Map<String, Map<String, Variable<TFloat32>>> slots = new LinkedHashMap<>();
        for (Group group : groups) {
            for (String name : group.variables()) {
                Map<String, Variable<TFloat32>> own = new LinkedHashMap<>();
                for (String slot : group.optimizer().slots()) {
                    own.put(slot, store.create(name + "_" + slot, dims(store, name)));
                }
                slots.put(name, own);
            }
        }
        List<Op> before = new ArrayList<>();
        before.addAll(gate);
        before.addAll(gradients.values());
        before.addAll(assigned.values());
        Ops gated = tf.withControlDependencies(before);
        Operand<TFloat32> next = gated.math.add(gated.identity(step), gated.constant(1f));
        Map<String, Operand<TFloat32>> trained = new LinkedHashMap<>();
        for (Group group : groups) {
            for (String name : group.variables()) {
                Operand<TFloat32> gradient = gradients.get(name);
                if (gradient == null) {
                    throw new IllegalArgumentException("no gradient for trained variable " + name);
                }
                trained.put(name, gradient);
            }
        }
        Operand<TFloat32> clip = settings.clips() ? clipFactor(gated, trained.values(), settings.maxGradientNorm()) : null;
        Operand<TFloat32> warmup = settings.warmsUp() ? gated.math.minimum(gated.constant(1f),
                gated.math.div(next, gated.constant((float) settings.warmupIterations()))) : null;
        List<Op> writes = new ArrayList<>();
        for (Group group : groups) {
            Operand<TFloat32> rate = gated.constant(group.optimizer().learningRate());
            if (warmup != null) {
                rate = gated.math.mul(rate, warmup);
            }
            for (String name : group.variables()) {
                Operand<TFloat32> gradient = trained.get(name);
                if (clip != null) {
                    gradient = gated.math.mul(gradient, clip);
                }
                writes.add(group.optimizer().update(gated, store.variable(name), gradient, slots.get(name), next, rate));
            }
        }
        for (Map.Entry<String, Operand<TFloat32>> e : assigned.entrySet()) {
            if (slots.containsKey(e.getKey())) {
                throw new IllegalArgumentException("variable " + e.getKey() + " is both assigned and trained");
            }
            writes.add(gated.withName(e.getKey() + "_update").assign(store.variable(e.getKey()), e.getValue()));
        }
        return tf.withControlDependencies(writes).withName("train_op").assign(step, next);
    }

    /** {@code min(1, max / (n + 1e-6))}, {@code n} the global norm of the gradients (summed in their order). */
    private static Operand<TFloat32> clipFactor(Ops tf, java.util.Collection<Operand<TFloat32>> gradients, float max) {
        Operand<TFloat32> squares = null;
        for (Operand<TFloat32> g : gradients) {
            Operand<TFloat32> sum = tf.reduceSum(tf.math.square(g), tf.range(tf.constant(0), tf.rank(g), tf.constant(1)));
            squares = squares == null ? sum : tf.math.add(squares, sum);
        }
        if (squares == null) {
            return tf.constant(1f);
        }
        Operand<TFloat32> norm = tf.math.add(tf.math.sqrt(squares), tf.constant(UpdateSettings.CLIP_EPSILON));
        return tf.math.minimum(tf.constant(1f), tf.math.div(tf.constant(max), norm));
    }

    private static long[] dims(VariableStore store, String name) {
        return store.variable(name).shape().asArray();
    }
}
