package dev.realitycheck.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * Checks that a loaded SavedModel carries a well-formed {@value EmbedSignature#KEY} signature and
 * reads the input shape and embedding size from it.
 */
final class EmbedSignatureCheck {

    /** What the signature says: the graph's tensor names and the shapes without batch dimension. */
    record Checked(String inputTensor, String outputTensor, List<Integer> inputShape, int embeddingSize) {

        int inputSize() {
            return inputShape.stream().mapToInt(Integer::intValue).reduce(1, Math::multiplyExact);
        }

        long[] batchDims(int n) {
            long[] dims = new long[inputShape.size() + 1];
            dims[0] = n;
            for (int i = 0; i < inputShape.size(); i++) {
                dims[i + 1] = inputShape.get(i);
            }
            return dims;
        }
    }

    private EmbedSignatureCheck() {
    }

    static Checked check(Path directory, SavedModelBundle bundle) throws InvalidModelException {
        Signature signature = bundle.signatures().stream()
                .filter(s -> s.key().equals(EmbedSignature.KEY))
                .findFirst()
                .orElseThrow(() -> new InvalidModelException(directory, "no signature '" + EmbedSignature.KEY
                        + "'; signatures: " + bundle.signatures().stream().map(Signature::key).sorted().toList()));
        Signature.TensorDescription input = only(directory, "input", signature.getInputs(), EmbedSignature.INPUT);
        Signature.TensorDescription output = only(directory, "output", signature.getOutputs(), EmbedSignature.OUTPUT);
        List<Integer> inputShape = itemShape(directory, EmbedSignature.INPUT, input, 2, 4);
        List<Integer> outputShape = itemShape(directory, EmbedSignature.OUTPUT, output, 2, 2);
        for (Signature.TensorDescription d : List.of(input, output)) {
            if (bundle.graph().output(d.name) == null) {
                throw new InvalidModelException(directory, "signature '" + EmbedSignature.KEY
                        + "' names tensor " + d.name + ", which the graph does not have");
            }
        }
        return new Checked(input.name, output.name, inputShape, outputShape.getFirst());
    }

    private static Signature.TensorDescription only(Path directory, String role,
                                                    Map<String, Signature.TensorDescription> tensors,
                                                    String name) throws InvalidModelException {
        if (tensors.size() != 1 || !tensors.containsKey(name)) {
            throw new InvalidModelException(directory, "signature '" + EmbedSignature.KEY + "' must have exactly one "
                    + role + " '" + name + "', has " + tensors.keySet().stream().sorted().toList());
        }
        Signature.TensorDescription d = tensors.get(name);
        if (d.dataType != DataType.DT_FLOAT) {
            throw new InvalidModelException(directory, "signature '" + EmbedSignature.KEY + "' " + role + " '" + name
                    + "' must be DT_FLOAT, is " + d.dataType);
        }
        return d;
    }

    /** Checks {@code [-1, positive...]} of rank {@code minRank} or {@code maxRank}; returns it without the -1. */
    private static List<Integer> itemShape(Path directory, String name, Signature.TensorDescription d,
                                           int minRank, int maxRank) throws InvalidModelException {
        return itemShape(directory, EmbedSignature.KEY, name, d, minRank, maxRank);
    }

    /** {@link #itemShape(Path, String, Signature.TensorDescription, int, int)} for a signature {@code key}. */
    static List<Integer> itemShape(Path directory, String key, String name, Signature.TensorDescription d,
                                   int minRank, int maxRank) throws InvalidModelException {
        Shape shape = d.shape;
        boolean ok = !shape.isUnknown()
                && (shape.numDimensions() == minRank || shape.numDimensions() == maxRank)
                && shape.get(0) == Shape.UNKNOWN_SIZE;
        List<Integer> item = new ArrayList<>();
        long size = 1;
        for (int i = 1; ok && i < shape.numDimensions(); i++) {
            ok = shape.get(i) > 0 && shape.get(i) <= Integer.MAX_VALUE;
            size *= ok ? shape.get(i) : 1;
            ok &= size <= Integer.MAX_VALUE;
            item.add((int) shape.get(i));
        }
        if (!ok) {
            String ranks = minRank == maxRank ? String.valueOf(minRank) : minRank + " or " + maxRank;
            throw new InvalidModelException(directory, "signature '" + key + "' tensor '" + name
                    + "' must have rank " + ranks + ", an unknown batch dimension and known positive others (under 2^31 values per item); has "
                    + shape);
        }
        return List.copyOf(item);
    }
}
