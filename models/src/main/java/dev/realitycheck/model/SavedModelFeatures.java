package dev.realitycheck.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Any SavedModel with an image -> features signature, used as a frozen feature extractor: it is
 * only run forward, and an embedder (a linear layer, {@link #embedder}) is trained on its features,
 * as TensorFlow Similarity users do with a pretrained backbone.
 *
 * <p>The signature is {@value #DEFAULT_KEY} when the model has it, else its only one. It must have
 * exactly one input, an image batch {@code DT_FLOAT [-1, H, W, C]} (known H and W, C 1 or 3, raw
 * values as the model takes them: its preprocessing is its own), and exactly one output,
 * {@code DT_FLOAT [-1, F]}; anything else is an {@link InvalidModelException} naming the signature
 * and what was expected.
 *
 * <p>{@link #exportChained} writes the trained embedder and this model as one checkpoint model: the
 * extractor's graph imported under {@code trunk/} with its variables, the embedder and the L2
 * normalisation on top, signature {@value EmbedSignature#KEY} from its image input. TensorFlow Java
 * 1.1.0 saves only {@code VariableV2} variables, so a model holding resource variables
 * ({@code VarHandleOp}, what TensorFlow 2's Python writes) is refused at {@link #load}: its
 * weights could not travel with the checkpoint. Models this project or TensorFlow Java exports,
 * TensorFlow 1 models and frozen ones (constants only) fit.
 *
 * <p>Not thread-safe; close it to free the session.
 */
public final class SavedModelFeatures implements AutoCloseable {

    /** The signature used when the model has it: {@value}, TensorFlow's default. */
    public static final String DEFAULT_KEY = "serving_default";

    /** The name scope the extractor's graph gets in a chained checkpoint: {@value}. */
    static final String SCOPE = "trunk";

    private final Path directory;
    private final SavedModelBundle bundle;
    private final String key;
    private final String inputTensor;
    private final String outputTensor;
    private final List<Integer> inputShape;
    private final int featureSize;

    private SavedModelFeatures(Path directory, SavedModelBundle bundle, String key, String inputTensor,
                               String outputTensor, List<Integer> inputShape, int featureSize) {
        this.directory = directory;
        this.bundle = bundle;
        this.key = key;
        this.inputTensor = inputTensor;
        this.outputTensor = outputTensor;
        this.inputShape = inputShape;
        this.featureSize = featureSize;
    }

    /**
     * Loads a SavedModel (tag {@value EmbedSignature#TAG}) and checks its image -> features signature.
     *
     * @param directory the SavedModel directory
     * @return the extractor, to be closed
     * @throws InvalidModelException naming the directory, the signature and what does not fit
     */
    public static SavedModelFeatures load(Path directory) throws InvalidModelException {
        Objects.requireNonNull(directory, "directory");
        SavedModelBundle bundle = SavedModelEmbedder.loadBundle(directory);
        try {
            return check(directory, bundle);
        } catch (InvalidModelException | RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    private static SavedModelFeatures check(Path directory, SavedModelBundle bundle) throws InvalidModelException {
        List<Signature> signatures = bundle.signatures().stream()
                .filter(s -> !s.key().equals("__saver_def")).toList();
        Signature signature = signatures.stream().filter(s -> s.key().equals(DEFAULT_KEY)).findFirst()
                .orElseGet(() -> signatures.size() == 1 ? signatures.getFirst() : null);
        if (signature == null) {
            throw new InvalidModelException(directory, "no signature '" + DEFAULT_KEY + "' and not exactly one other"
                    + " to use as image -> features; signatures: " + signatures.stream().map(Signature::key).sorted()
                    .toList());
        }
        String key = signature.key();
        Map<String, Signature.TensorDescription> inputs = signature.getInputs();
        Map<String, Signature.TensorDescription> outputs = signature.getOutputs();
        String image = "an image input DT_FLOAT [-1, H, W, C] with known H and W and C of 1 or 3";
        if (inputs.size() != 1) {
            throw new InvalidModelException(directory, "signature '" + key + "' must have exactly one input, " + image
                    + "; has " + inputs.keySet().stream().sorted().toList());
        }
        if (outputs.size() != 1) {
            throw new InvalidModelException(directory, "signature '" + key + "' must have exactly one output, features"
                    + " DT_FLOAT [-1, F]; has " + outputs.keySet().stream().sorted().toList());
        }
        String inputName = inputs.keySet().iterator().next();
        Signature.TensorDescription input = inputs.get(inputName);
        String outputName = outputs.keySet().iterator().next();
        Signature.TensorDescription output = outputs.get(outputName);
        if (input.dataType != DataType.DT_FLOAT || input.shape.isUnknown() || input.shape.numDimensions() != 4) {
            throw new InvalidModelException(directory, "signature '" + key + "' input '" + inputName + "' must be "
                    + image + "; is " + input.dataType + " " + input.shape);
        }
        List<Integer> inputShape = EmbedSignatureCheck.itemShape(directory, key, inputName, input, 4, 4);
        if (inputShape.get(2) != 1 && inputShape.get(2) != 3) {
            throw new InvalidModelException(directory, "signature '" + key + "' input '" + inputName + "' must be "
                    + image + "; has " + inputShape.get(2) + " channels");
        }
        if (output.dataType != DataType.DT_FLOAT) {
            throw new InvalidModelException(directory, "signature '" + key + "' output '" + outputName
                    + "' must be features DT_FLOAT [-1, F]; is " + output.dataType + " " + output.shape);
        }
        List<Integer> features = EmbedSignatureCheck.itemShape(directory, key, outputName, output, 2, 2);
        Iterator<GraphOperation> ops = bundle.graph().operations();
        while (ops.hasNext()) {
            GraphOperation op = ops.next();
            if (op.type().equals("VarHandleOp")) {
                throw new InvalidModelException(directory, "holds resource variables (VarHandleOp " + op.name()
                        + "): TensorFlow Java 1.1.0 saves only VariableV2, so the trained embedder could not be"
                        + " exported chained to this model; export it with TensorFlow 1 style variables or frozen");
            }
        }
        return new SavedModelFeatures(directory, bundle, key, input.name, output.name, inputShape,
                features.getFirst());
    }

    /** @return the signature used */
    public String signatureKey() {
        return key;
    }

    /** @return the image shape of one item, {@code [H, W, C]} */
    public List<Integer> inputShape() {
        return inputShape;
    }

    /**
     * @return what the model and a checkpoint chained on it take: {@code [H, W, C]} images of raw
     *         values in RGB order (its preprocessing is its own, so none is declared)
     */
    public InputSpec imageInput() {
        return InputSpec.image(inputShape.get(0), inputShape.get(1), inputShape.get(2), Preprocessing.none());
    }

    /** @return the number of features per item, F */
    public int featureSize() {
        return featureSize;
    }

    /**
     * The linear embedder a run trains on these features: {@code embedder_kernel [F, E]},
     * {@code embedder_bias [E]} over a feature vector.
     */
    public MlpArchitecture embedder(int embeddingSize) {
        return new MlpArchitecture(InputSpec.vector(featureSize), List.of(), embeddingSize);
    }

    /**
     * Runs the model forward (no gradient, nothing trained).
     *
     * @param images row-major {@code count * H * W * C} raw values
     * @param count  the number of images
     * @return {@code count * featureSize()} features, row-major
     */
    public float[] features(float[] images, int count) {
        int size = inputShape.stream().mapToInt(Integer::intValue).reduce(1, Math::multiplyExact);
        if (count < 0 || images.length != (long) count * size) {
            throw new IllegalArgumentException("images must hold count * " + size + " values, has " + images.length
                    + " for count " + count);
        }
        float[] out = new float[count * featureSize];
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(count, inputShape.get(0), inputShape.get(1), inputShape.get(2)),
                     DataBuffers.of(images, true, false));
             Result result = bundle.session().runner().feed(inputTensor, in).fetch(outputTensor).run()) {
            Tensor t = result.get(0);
            if (!(t instanceof TFloat32 features) || !t.shape().equals(Shape.of(count, featureSize))) {
                throw new IllegalStateException(directory + ": signature '" + key + "' gave " + t.dataType() + " "
                        + t.shape() + ", expected DT_FLOAT [" + count + ", " + featureSize + "]");
            }
            features.copyTo(DataBuffers.of(out, false, false));
        }
        return out;
    }

    /**
     * Writes this model with a trained embedder on top as one checkpoint model (see the class comment).
     *
     * @param embedder  the embedder's weights, of {@link #embedder}
     * @param directory where to write (absent or empty)
     * @throws IOException if it cannot be written
     */
    public void exportChained(Weights embedder, Path directory) throws IOException {
        Objects.requireNonNull(embedder, "embedder");
        if (!embedder.architecture().spec().input().equals(InputSpec.vector(featureSize))) {
            throw new IllegalArgumentException("the embedder takes " + embedder.architecture().spec().input().shape()
                    + ", the features are [" + featureSize + "]");
        }
        SavedModelExporter.requireEmptyTarget(directory);
        try (Graph graph = new Graph()) {
            graph.importGraphDef(bundle.metaGraphDef().getGraphDef(), SCOPE);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> images = (Operand<TFloat32>) graph.output(SCOPE + "/" + inputTensor);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> features = (Operand<TFloat32>) graph.output(SCOPE + "/" + outputTensor);
            EmbeddingGraph model = EmbeddingGraph.onTop(graph, embedder.architecture(), images, features);
            List<String> variables = new ArrayList<>();
            bundle.graph().operations().forEachRemaining(op -> {
                if (op.type().equals("VariableV2")) {
                    variables.add(op.name());
                }
            });
            org.tensorflow.op.Scope scope = org.tensorflow.op.Ops.create(graph).scope();
            List<Operation> assigns = new ArrayList<>();
            List<Operation> values = new ArrayList<>();
            for (String name : variables) {
                Operation variable = graph.operation(SCOPE + "/" + name);
                DataType ref = variable.output(0).dataType(); // a VariableV2 outputs a reference type
                DataType type = ref.getNumber() > 100 ? DataType.forNumber(ref.getNumber() - 100) : ref;
                Operation value = scope.opBuilder("Placeholder", name.replace('/', '_') + "_chain_value")
                        .setAttr("dtype", type).build();
                values.add(value);
                assigns.add(scope.opBuilder("Assign", name.replace('/', '_') + "_chain")
                        .addInput(variable.output(0)).addInput(value.output(0)).build());
            }
            try (Session session = new Session(graph)) {
                copyVariables(variables, values, assigns, session);
                model.assign(session, embedder);
                SavedModelExporter.write(session, model, directory);
            }
        }
    }

    /** Copies the extractor's variables from its loaded session into the chained graph's, in one run. */
    private void copyVariables(List<String> variables, List<Operation> values, List<Operation> assigns,
                               Session session) {
        if (variables.isEmpty()) {
            return;
        }
        Session.Runner fetch = bundle.session().runner();
        variables.forEach(fetch::fetch);
        try (Result current = fetch.run()) {
            Session.Runner runner = session.runner();
            for (int i = 0; i < variables.size(); i++) {
                runner.feed(values.get(i).output(0), current.get(i)).addTarget(assigns.get(i));
            }
            try (Result done = runner.run()) {
                assert done.size() == 0;
            }
        }
    }

    @Override
    public void close() {
        bundle.close();
    }
}
