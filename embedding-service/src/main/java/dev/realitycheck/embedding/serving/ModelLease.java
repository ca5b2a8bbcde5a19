package dev.realitycheck.embedding.serving;

import dev.realitycheck.embedding.batching.MicroBatcher;
import dev.realitycheck.embedding.batching.RequestInputs;
import dev.realitycheck.embedding.batching.Vectors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request's hold on one {@link LoadedModel}: the model stays open until every lease on it is
 * closed, even if the registry swaps or evicts it meanwhile. Close exactly once (extra closes are ignored).
 */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    public LoadedModel model() {
        return model;
    }

    /** Embeds {@code count} items with this lease's model (see {@code SavedModelEmbedder.embed}). */
    public float[] embed(float[] inputs, int count) {
        return model.embedder().embed(inputs, count);
    }

    /**
     * Embeds a micro-batch, its requests' inputs written straight into the model's input tensor; the output is
     * packed once for the whole batch ({@link Vectors#pack}).
     */
    public Vectors embed(MicroBatcher.Inputs inputs, int count) {
        return Vectors.pack(model.embedder().embed(count, inputs::writeTo), count);
    }

    /** Embeds one request's {@code count} items, written straight from the request into the model's input tensor. */
    public Vectors embed(RequestInputs inputs, int count) {
        return Vectors.pack(model.embedder().embed(count, inputs::writeTo), count);
    }

    /**
     * Refuses model outputs that are not usable vectors: every row of {@code vectors} (n rows) must be
     * finite and L2-normalised. A row with NaN or infinity, or a zero row (what the model's L2
     * normalisation makes of activations whose squares overflow float32, e.g. from inputs of 3e38), is
     * INVALID_ARGUMENT naming the item ({@code items[3]}), never returned as a vector.
     *
     * @param field the request field holding the items, e.g. {@code items}
     */
    public static void checkOutputs(float[] vectors, int n, String field) {
        checkOutputs(i -> vectors[i], n, n == 0 ? 0 : vectors.length / n, field);
    }

    /** {@link #checkOutputs(float[], int, String)} of packed vectors (a request's rows of its batch's output). */
    public static void checkOutputs(Vectors vectors, String field) {
        checkOutputs(vectors::value, vectors.count(), vectors.width(), field);
    }

    /** The values of n rows, row-major: value {@code index} is {@code row * width + column}. */
    @FunctionalInterface
    private interface Values {
        float at(int index);
    }

    private static void checkOutputs(Values vectors, int n, int width, String field) {
        for (int i = 0; i < n; i++) {
            double squares = 0;
            for (int j = i * width; j < (i + 1) * width; j++) {
                float v = vectors.at(j);
                if (!Float.isFinite(v)) {
                    throw unusable(field, i, "value " + (j - i * width) + " is " + v);
                }
                squares += (double) v * v;
            }
            if (Math.abs(Math.sqrt(squares) - 1) > 1e-3) {
                throw unusable(field, i, "its norm is " + (float) Math.sqrt(squares) + ", not 1");
            }
        }
    }

    private static io.grpc.StatusRuntimeException unusable(String field, int item, String why) {
        return io.grpc.Status.INVALID_ARGUMENT.withDescription(field + "[" + item + "]: the model's output is not a"
                + " usable vector (" + why + "); its input values are out of the range the model can compute with"
                + " (float32 overflow, e.g. values near 3e38)").asRuntimeException();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            model.release();
        }
    }
}
