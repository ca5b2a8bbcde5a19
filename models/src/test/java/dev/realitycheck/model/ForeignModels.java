package dev.realitycheck.model;

import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * SavedModels that are valid for TensorFlow but not checkpoint models of this project: a
 * signature under another key, or other tensor names or shapes.
 */
final class ForeignModels {

    private ForeignModels() {
    }

    /**
     * Exports {@code y = x · w} (w a 4 x 3 variable of ones) with one signature.
     *
     * @param key        the signature key
     * @param input      the signature's input name
     * @param output     the signature's output name
     * @param inputShape the placeholder's shape, e.g. {@code [-1, 4]}
     */
    static void export(Path dir, String key, String input, String output, long... inputShape) throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(inputShape)));
            Operand<TFloat32> w = tf.withName("w").variable(tf.fill(tf.constant(new long[] {4, 3}), tf.constant(1f)));
            Operand<TFloat32> y = tf.withName("y").linalg.matMul(tf.reshape(x, tf.constant(new long[] {-1, 4})), w);
            try (Session session = new Session(graph)) {
                session.initialize();
                Signature signature = Signature.builder().key(key).input(input, x).output(output, y).build();
                SavedModelBundle.exporter(dir.toString())
                        .withTags(EmbedSignature.TAG)
                        .withFunction(SessionFunction.create(signature, session))
                        .export();
            }
        }
    }
}
