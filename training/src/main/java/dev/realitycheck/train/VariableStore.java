package dev.realitycheck.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Every float32 {@code VariableV2} of a training graph (network weights, loss parameters,
 * optimizer slots, the step counter), in creation order, each with an {@code Identity} read (the
 * thing to differentiate and fetch: gradients at the variable's ref output crashed the JVM) and a
 * placeholder-fed {@code Assign} to set it. Reads and writes every value as a row-major array, so
 * the whole state of a run can be saved and restored.
 */
final class VariableStore {

    private record Entry(Variable<TFloat32> variable, Operand<TFloat32> read, Placeholder<TFloat32> value,
                         Assign<TFloat32> assign, long[] dims) {
    }

    private final Ops tf;
    private final SequencedMap<String, Entry> entries = new LinkedHashMap<>();

    VariableStore(Ops tf) {
        this.tf = Objects.requireNonNull(tf, "tf");
    }

    /** Adds a variable; names must be unique (and free of '/'). */
    Variable<TFloat32> create(String name, long[] dims) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("variable " + name + " exists already");
        }
        if (name.contains("/")) {
            throw new IllegalArgumentException("variable name must not contain '/', was " + name);
        }
        Shape shape = Shape.of(dims);
        Variable<TFloat32> variable = tf.withName(name).variable(shape, TFloat32.class);
        Operand<TFloat32> read = tf.withName(name + "_read").identity(variable);
        Placeholder<TFloat32> value = tf.withName(name + "_set_value").placeholder(TFloat32.class,
                Placeholder.shape(shape));
        Assign<TFloat32> assign = tf.withName(name + "_set").assign(variable, value);
        entries.put(name, new Entry(variable, read, value, assign, dims.clone()));
        return variable;
    }

    /** @return the variable of that name */
    Variable<TFloat32> variable(String name) {
        return entry(name).variable();
    }

    /** @return the Identity read of that variable */
    Operand<TFloat32> read(String name) {
        return entry(name).read();
    }

    /** @return the number of values of that variable */
    int size(String name) {
        return (int) Shape.of(entry(name).dims()).size();
    }

    /** @return the names, in creation order */
    List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** Fetches every variable's value in one run. */
    SequencedMap<String, float[]> values(Session session) {
        return values(session, names());
    }

    /** Fetches the named variables' values in one run. */
    SequencedMap<String, float[]> values(Session session, List<String> names) {
        Session.Runner runner = session.runner();
        names.forEach(n -> runner.fetch(read(n)));
        SequencedMap<String, float[]> values = new LinkedHashMap<>();
        try (Result result = runner.run()) {
            for (int i = 0; i < names.size(); i++) {
                TFloat32 t = (TFloat32) result.get(i);
                float[] v = new float[(int) t.shape().size()];
                t.asRawTensor().data().asFloats().read(v);
                values.put(names.get(i), v);
            }
        }
        return Collections.unmodifiableSequencedMap(values);
    }

    /**
     * Sets every variable in one run (each variable's own assign, fed its own value). One run, not
     * one per variable: each distinct feed/target set makes TensorFlow prune and optimise the
     * whole graph again, which for BN-Inception's ~1,000 variables and slots took minutes.
     *
     * @param values exactly one array of the right size per variable
     */
    void assign(Session session, Map<String, float[]> values) {
        for (String name : values.keySet()) {
            entry(name);
        }
        List<TFloat32> tensors = new java.util.ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                float[] v = values.get(e.getKey());
                if (v == null) {
                    throw new IllegalArgumentException("no value for variable " + e.getKey());
                }
                Entry entry = e.getValue();
                if (v.length != size(e.getKey())) {
                    throw new IllegalArgumentException("variable " + e.getKey() + " " + Shape.of(entry.dims())
                            + " needs " + size(e.getKey()) + " values, got " + v.length);
                }
                TFloat32 t = TFloat32.tensorOf(Shape.of(entry.dims()), DataBuffers.of(v, true, false));
                tensors.add(t);
                runner.feed(entry.value(), t).addTarget(entry.assign());
            }
            try (Result done = runner.run()) {
                assert done.size() == 0;
            }
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown variable " + name + "; known: " + entries.keySet());
        }
        return e;
    }
}
