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
 * trained variable and slot of its optimizer.
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
     * @return the op that runs the whole step
     */
    static Op build(Ops tf, VariableStore store, List<Group> groups, Map<String, Operand<TFloat32>> gradients,
                    Map<String, Operand<TFloat32>> assigned, List<? extends Operand<?>> gate) {
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
        List<Op> writes = new ArrayList<>();
        for (Group group : groups) {
            for (String name : group.variables()) {
                Operand<TFloat32> gradient = gradients.get(name);
                if (gradient == null) {
                    throw new IllegalArgumentException("no gradient for trained variable " + name);
                }
                writes.add(group.optimizer().update(gated, store.variable(name), gradient, slots.get(name), next));
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

    private static long[] dims(VariableStore store, String name) {
        return store.variable(name).shape().asArray();
    }
}
