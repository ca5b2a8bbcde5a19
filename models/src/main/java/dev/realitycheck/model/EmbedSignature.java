package dev.realitycheck.model;

/**
 * The names that make a SavedModel a checkpoint model of this project.
 *
 * <p>A checkpoint model is an inference-only TensorFlow SavedModel, loaded with tag
 * {@value #TAG}, whose signature {@value #KEY} has exactly one input {@value #INPUT} (float32,
 * {@code [-1, D]} or {@code [-1, H, W, C]}, raw values: the model preprocesses them itself) and
 * exactly one output {@value #OUTPUT} (float32 {@code [-1, E]}, each row of unit L2 norm). In the
 * graphs this project exports, the input is the placeholder op {@code images} (tensor
 * {@code images:0}) and the output the op {@code embeddings} (tensor {@code embeddings:0}).
 */
public final class EmbedSignature {

    /** The signature key: {@value}. */
    public static final String KEY = "embed";
    /** The signature's only input: {@value}. */
    public static final String INPUT = "images";
    /** The signature's only output: {@value}. */
    public static final String OUTPUT = "embeddings";
    /** The MetaGraph tag to load: {@value}, TensorFlow's standard serving tag. */
    public static final String TAG = "serve";
    /** The signature's method name: {@value}, as TensorFlow Serving's predict API expects. */
    public static final String METHOD = "tensorflow/serving/predict";

    private EmbedSignature() {
    }
}
