package dev.realitycheck.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * Weights of a {@link PretrainedTrunk} from a weight file, read strictly: every trunk variable must
 * be in the file under its {@link WeightSource#tensor() name} with exactly its shape (in the
 * file's layout), and the file may hold nothing else but what the trunk
 * {@link PretrainedTrunk#ignores ignores}; otherwise one {@link WeightFileMismatchException}
 * lists every missing, extra and mis-shaped tensor. The embedder is new: it takes the values
 * {@link Weights#initial} draws for it.
 */
public final class PretrainedWeights {

    private PretrainedWeights() {
    }

    /**
     * Reads a weight file by its extension: {@code .safetensors} ({@link SafetensorsFile}) or
     * {@code .h5} ({@link KerasH5File}).
     *
     * @param file the weight file
     * @return its tensors by name
     * @throws IOException if it cannot be read, or its extension names no supported format
     */
    public static SequencedMap<String, WeightTensor> readFile(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            return SafetensorsFile.read(file);
        }
        if (name.endsWith(".h5")) {
            return KerasH5File.read(file);
        }
        throw new IOException(file + ": unknown weight file format; supported are .safetensors and .h5 (Keras)");
    }

    /**
     * @param architecture a network with a pretrained trunk
     * @param file         its weight file (see {@link #readFile})
     * @param seed         seeds the embedder's initial values
     * @param initialization how the embedder's initial values are drawn ({@link Weights#initial})
     * @return the trunk's values from the file, the embedder's drawn from {@code seed}
     * @throws IOException                 if the file cannot be read
     * @throws WeightFileMismatchException if it does not fit the trunk
     */
    public static Weights load(Architecture architecture, Path file, long seed, Initialization initialization)
            throws IOException {
        return fromTensors(architecture, readFile(file), file.toString(), seed, initialization);
    }

    /** {@link #load(Architecture, Path, long, Initialization)} with {@link Initialization#GLOROT}. */
    public static Weights load(Architecture architecture, Path file, long seed) throws IOException {
        return load(architecture, file, seed, Initialization.GLOROT);
    }

    /**
     * The inverse of {@link #fromTensors}: a network's trunk as a weight file holds it (the
     * {@link PretrainedTrunk#weightSources() names} and layouts its published weights have), so a
     * trunk trained here is saved with {@link SafetensorsFile#write} and loaded by {@link #load}
     * like any published one. The embedder is left out: a run that loads the file draws a new one.
     *
     * @param weights values of a network with a pretrained trunk
     * @return its trunk's tensors, in {@link PretrainedTrunk#weightSources()} order
     */
    public static List<WeightTensor> toTensors(Weights weights) {
        Architecture architecture = weights.architecture();
        if (!(architecture instanceof PretrainedTrunk trunk)) {
            throw new IllegalArgumentException("the " + architecture.getClass().getSimpleName()
                    + " has no pretrained trunk to save");
        }
        Map<String, VariableSpec> specs = new LinkedHashMap<>();
        architecture.variables().forEach(v -> specs.put(v.name(), v));
        List<WeightTensor> tensors = new ArrayList<>();
        trunk.weightSources().forEach((variable, source) -> {
            List<Integer> shape = specs.get(variable).shape();
            tensors.add(new WeightTensor(source.tensor(), source.layout().fileShape(shape),
                    source.layout().toFile(weights.get(variable), shape)));
        });
        return tensors;
    }

    /**
     * @param architecture a network with a pretrained trunk
     * @param tensors      a weight file's tensors by name
     * @param source       names the file in messages
     * @param seed         seeds the embedder's initial values
     * @param initialization how the embedder's initial values are drawn ({@link Weights#initial})
     * @return the trunk's values from {@code tensors}, the embedder's drawn from {@code seed}
     * @throws WeightFileMismatchException if the tensors do not fit the trunk
     */
    public static Weights fromTensors(Architecture architecture, Map<String, WeightTensor> tensors, String source,
                                      long seed, Initialization initialization) {
        Objects.requireNonNull(tensors, "tensors");
        if (!(architecture instanceof PretrainedTrunk trunk)) {
            throw new IllegalArgumentException("the " + architecture.getClass().getSimpleName()
                    + " has no pretrained trunk to load weights into");
        }
        SequencedMap<String, WeightSource> sources = trunk.weightSources();
        Map<String, VariableSpec> specs = new LinkedHashMap<>();
        architecture.variables().forEach(v -> specs.put(v.name(), v));
        List<String> missing = new ArrayList<>();
        List<WeightFileMismatchException.Mismatch> mismatched = new ArrayList<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        Weights initial = Weights.initial(architecture, seed, initialization);
        for (String name : initial.names()) {
            values.put(name, initial.view(name));
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Map.Entry<String, WeightSource> e : sources.entrySet()) {
            VariableSpec spec = specs.get(e.getKey());
            WeightSource from = e.getValue();
            List<Integer> expected = from.layout().fileShape(spec.shape());
            WeightTensor t = tensors.get(from.tensor());
            if (t == null) {
                missing.add(from.tensor() + " " + expected);
                continue;
            }
            used.add(from.tensor());
            if (!t.shape().equals(expected)) {
                mismatched.add(new WeightFileMismatchException.Mismatch(from.tensor(), expected, t.shape()));
                continue;
            }
            values.put(spec.name(), from.layout().toVariable(t.values(), spec.shape()));
        }
        List<String> extra = tensors.keySet().stream()
                .filter(name -> !used.contains(name) && !trunk.ignores(name)).toList();
        if (!missing.isEmpty() || !extra.isEmpty() || !mismatched.isEmpty()) {
            throw new WeightFileMismatchException(source, missing, extra, mismatched);
        }
        return Weights.of(architecture, values);
    }
}
