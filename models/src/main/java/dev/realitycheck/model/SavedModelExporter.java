package dev.realitycheck.model;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.proto.SavedModel;

/**
 * Writes an {@link Architecture} with its {@link Weights} as a checkpoint model: a SavedModel
 * directory, tag {@value EmbedSignature#TAG}, signature {@value EmbedSignature#KEY}.
 *
 * <p>The graph is a fresh inference-only {@link EmbeddingGraph} (no optimizer, no training-mode
 * BatchNorm), whatever graph the weights were trained in: export from a separate inference graph
 * with the same variable names. The directory holds {@code saved_model.pb} (the graph and
 * signature) and {@code variables/variables.index} with {@code variables/variables.data-00000-of-00001}
 * (the weights, as TensorFlow's checkpoint format). The same weights give the same bytes:
 * {@code saved_model.pb} is rewritten with its maps in key order.
 */
public final class SavedModelExporter {

    private SavedModelExporter() {
    }

    /**
     * Exports a model.
     *
     * @param weights   the values of every variable, with the architecture they belong to
     * @param directory where to write; must not exist yet or be an empty directory (it is created,
     *                  with its parents)
     * @throws IOException if the directory is not empty or cannot be written
     */
    public static void export(Weights weights, Path directory) throws IOException {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(directory, "directory");
        requireEmptyTarget(directory);
        try (Graph graph = new Graph()) {
            EmbeddingGraph model = EmbeddingGraph.build(graph, weights.architecture());
            try (Session session = new Session(graph)) {
                model.assign(session, weights);
                write(session, model, directory);
            }
        }
    }

    /**
     * Writes a session whose variables hold their values as a checkpoint model (the directory
     * checked by {@link #requireEmptyTarget}), {@code saved_model.pb} rewritten deterministically.
     */
    static void write(Session session, EmbeddingGraph model, Path directory) throws IOException {
        Files.createDirectories(directory);
        SavedModelBundle.exporter(directory.toString())
                .withTags(EmbedSignature.TAG)
                .withFunction(SessionFunction.create(model.signature(), session))
                .export();
        rewriteDeterministically(directory.resolve("saved_model.pb"));
    }

    /**
     * Rewrites {@code saved_model.pb} with its map entries (node attributes, signatures) sorted by
     * key. TensorFlow writes them in hash order, so two exports of the same weights differ in
     * bytes (not in content) and a packed model would not have a stable SHA-256.
     */
    private static void rewriteDeterministically(Path savedModelPb) throws IOException {
        SavedModel model = SavedModel.parseFrom(Files.readAllBytes(savedModelPb));
        try (OutputStream out = Files.newOutputStream(savedModelPb)) {
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.useDeterministicSerialization();
            model.writeTo(coded);
            coded.flush();
        }
    }

    static void requireEmptyTarget(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + ": cannot export a model here: it is a file");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                throw new IOException(directory + ": cannot export a model here: the directory is not empty");
            }
        }
    }
}
