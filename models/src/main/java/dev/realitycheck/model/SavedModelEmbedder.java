package dev.realitycheck.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * A loaded checkpoint model that turns inputs into L2-normalised embeddings.
 *
 * <p>{@link #load(Path)} opens a SavedModel directory (tag {@value EmbedSignature#TAG}) and checks
 * its {@value EmbedSignature#KEY} signature (see {@link EmbedSignature}); input shape and embedding
 * size are read from that signature. {@link #embed(float[], int)} runs the model in batches of at
 * most {@link #batchSize()} items, closing every tensor and result it creates.
 *
 * <p>Thread-safe: any number of threads may call {@link #embed} at once (TensorFlow's
 * {@code Session.run} is thread-safe and each call builds its own runner and tensors; the session
 * spreads each run over its own intra-op threads). {@link #close()} waits for running calls to
 * finish; calls after it fail with {@link IllegalStateException}.
 */
public final class SavedModelEmbedder implements AutoCloseable {

    /** The batch size {@link #load(Path)} uses. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    /**
     * The services' default bound on one TensorFlow call's input, 64 MiB of float32 values
     * ({@link #load(Path, int, long)}): 256 items of 28x28x1, but 108 of 227x227x3.
     */
    public static final long DEFAULT_BATCH_INPUT_BYTES = 64L << 20;

    private final Path directory;
    private final SavedModelBundle bundle;
    private final EmbedSignatureCheck.Checked signature;
    private final int batchSize;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private SavedModelEmbedder(Path directory, SavedModelBundle bundle, EmbedSignatureCheck.Checked signature,
                               int batchSize) {
        this.directory = directory;
        this.bundle = bundle;
        this.signature = signature;
        this.batchSize = batchSize;
    }

    /** Loads a model with batches of {@value #DEFAULT_BATCH_SIZE}; see {@link #load(Path, int)}. */
    public static SavedModelEmbedder load(Path directory) throws InvalidModelException {
        return load(directory, DEFAULT_BATCH_SIZE);
    }

    /**
     * Loads a SavedModel directory and checks that it is a checkpoint model.
     *
     * @param directory the SavedModel directory (holding {@code saved_model.pb})
     * @param batchSize the most items one TensorFlow run embeds; positive
     * @return the loaded model, to be closed
     * @throws InvalidModelException naming the directory and what is wrong: not a SavedModel, no
     *                               {@value EmbedSignature#TAG} graph, no or a malformed
     *                               {@value EmbedSignature#KEY} signature
     */
    public static SavedModelEmbedder load(Path directory, int batchSize) throws InvalidModelException {
        Objects.requireNonNull(directory, "directory");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        return load(directory, batchSize, Long.MAX_VALUE);
    }

    /**
     * Loads a checkpoint model whose batch follows its input size: at most {@code maxBatchSize}
     * items per TensorFlow call, fewer when their float32 inputs would exceed
     * {@code maxBatchInputBytes} ({@link #batchSizeWithin}), so a large trunk at a large input (a
     * ResNet-50 at 227x227x3) runs in calls whose activations fit in memory while a 28x28 model keeps
     * the full batch. The vectors do not depend on the batch size.
     *
     * @param directory          the SavedModel directory
     * @param maxBatchSize       the most items one call embeds; positive
     * @param maxBatchInputBytes the most input bytes one call takes; positive (one item always fits)
     * @throws InvalidModelException as {@link #load(Path, int)}
     */
    public static SavedModelEmbedder load(Path directory, int maxBatchSize, long maxBatchInputBytes)
            throws InvalidModelException {
        Objects.requireNonNull(directory, "directory");
        if (maxBatchSize <= 0 || maxBatchInputBytes <= 0) {
            throw new IllegalArgumentException("maxBatchSize and maxBatchInputBytes must be positive, were "
                    + maxBatchSize + " and " + maxBatchInputBytes);
        }
        SavedModelBundle bundle = loadBundle(directory);
        try {
            EmbedSignatureCheck.Checked signature = EmbedSignatureCheck.check(directory, bundle);
            return new SavedModelEmbedder(directory, bundle, signature,
                    batchSizeWithin(maxBatchSize, maxBatchInputBytes, signature.inputSize()));
        } catch (InvalidModelException | RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /**
     * @param maxBatchSize       the most items per call; positive
     * @param maxBatchInputBytes the most float32 input bytes per call; positive
     * @param inputSize          values per item; positive
     * @return the items per call: {@code maxBatchSize}, or fewer so that they stay within
     *         {@code maxBatchInputBytes}, but at least 1
     */
    public static int batchSizeWithin(int maxBatchSize, long maxBatchInputBytes, int inputSize) {
        if (maxBatchSize <= 0 || maxBatchInputBytes <= 0 || inputSize <= 0) {
            throw new IllegalArgumentException("maxBatchSize, maxBatchInputBytes and inputSize must be positive, were "
                    + maxBatchSize + ", " + maxBatchInputBytes + " and " + inputSize);
        }
        long fit = maxBatchInputBytes / (Float.BYTES * (long) inputSize);
        return (int) Math.max(1, Math.min(maxBatchSize, fit));
    }

    /**
     * Loads a SavedModel directory with tag {@value EmbedSignature#TAG}, signature unchecked.
     *
     * @throws InvalidModelException if it is not a SavedModel or TensorFlow cannot load it
     */
    static SavedModelBundle loadBundle(Path directory) throws InvalidModelException {
        if (!Files.isRegularFile(directory.resolve("saved_model.pb"))) {
            throw new InvalidModelException(directory, "not a SavedModel directory: no saved_model.pb");
        }
        try {
            return SavedModelBundle.loader(directory.toString()).withTags(EmbedSignature.TAG).load();
        } catch (TensorFlowException | IllegalArgumentException e) {
            throw new InvalidModelException(directory, "TensorFlow cannot load it with tag '" + EmbedSignature.TAG
                    + "': " + e.getMessage(), e);
        }
    }

    /** @return the directory the model was loaded from */
    public Path directory() {
        return directory;
    }

    /** @return the input shape of one item, without the batch dimension: {@code [D]} or {@code [H, W, C]} */
    public List<Integer> inputShape() {
        return signature.inputShape();
    }

    /** @return the number of input values per item, the product of {@link #inputShape()} */
    public int inputSize() {
        return signature.inputSize();
    }

    /** @return the number of components of an embedding */
    public int embeddingSize() {
        return signature.embeddingSize();
    }

    /** @return the most items one TensorFlow run embeds */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Embeds {@code count} items.
     *
     * @param inputs row-major raw inputs, exactly {@code count * inputSize()} values (item after
     *               item, each in {@link #inputShape()} order)
     * @param count  the number of items; may be 0
     * @return {@code count * embeddingSize()} values, row-major, one L2-normalised row per item
     * @throws IllegalArgumentException if the lengths do not match
     * @throws IllegalStateException    if this embedder is closed
     */
    public float[] embed(float[] inputs, int count) {
        Objects.requireNonNull(inputs, "inputs");
        int size = inputSize();
        int width = embeddingSize();
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (inputs.length != (long) count * size) {
            throw new IllegalArgumentException("inputs must hold count * inputSize = " + count + " * " + size
                    + " values, has " + inputs.length);
        }
        if ((long) count * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " embeddings of " + width + " do not fit one array");
        }
        float[] out = new float[count * width];
        FloatDataBuffer in = DataBuffers.of(inputs, true, false);
        FloatDataBuffer sink = DataBuffers.of(out, false, false);
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model from " + directory + " is closed");
            }
            for (int start = 0; start < count; start += batchSize) {
                int n = Math.min(batchSize, count - start);
                runBatch(in.slice((long) start * size, (long) n * size), n,
                        sink.slice((long) start * width, (long) n * width));
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /** Writes the inputs of a batch straight into the input tensor's (native) buffer. */
    @FunctionalInterface
    public interface InputWriter {
        /**
         * @param target the input tensor's buffer: {@code count * inputSize()} values, row-major, to be
         *               filled completely (e.g. with {@link FloatDataBuffer#write(float[], int, int)}
         *               bulk copies, one per request)
         */
        void write(FloatDataBuffer target);
    }

    /**
     * Embeds {@code count} items whose inputs {@code writer} writes directly into the TensorFlow input
     * tensor, so a server joining several requests copies each request's inputs once instead of first
     * concatenating them into one array. Batches larger than {@link #batchSize()} go through a heap
     * array and {@link #embed(float[], int)}.
     *
     * @param count  the number of items; may be 0
     * @param writer fills {@code count * inputSize()} values
     * @return {@code count * embeddingSize()} values, row-major, one L2-normalised row per item
     * @throws IllegalStateException if this embedder is closed
     */
    public float[] embed(int count, InputWriter writer) {
        Objects.requireNonNull(writer, "writer");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (count == 0 || count > batchSize) {
            float[] inputs = new float[Math.multiplyExact(count, inputSize())];
            writer.write(DataBuffers.of(inputs, false, false));
            return embed(inputs, count);
        }
        int width = embeddingSize();
        float[] out = new float[count * width];
        lock.readLock().lock();
        try (TFloat32 input = TFloat32.tensorOf(Shape.of(signature.batchDims(count)))) {
            if (closed) {
                throw new IllegalStateException("the model from " + directory + " is closed");
            }
            writer.write(input.asRawTensor().data().asFloats());
            run(input, count, DataBuffers.of(out, false, false));
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    private void runBatch(FloatDataBuffer batch, int n, FloatDataBuffer sink) {
        try (TFloat32 input = TFloat32.tensorOf(Shape.of(signature.batchDims(n)), batch)) {
            run(input, n, sink);
        }
    }

    private void run(TFloat32 input, int n, FloatDataBuffer sink) {
        try (Result result = bundle.session().runner()
                     .feed(signature.inputTensor(), input)
                     .fetch(signature.outputTensor())
                     .run()) {
            Tensor output = result.get(0);
            Shape expected = Shape.of(n, embeddingSize());
            if (!(output instanceof TFloat32 embeddings) || !output.shape().equals(expected)) {
                throw new IllegalStateException(directory + ": output " + EmbedSignature.OUTPUT + " was "
                        + output.dataType() + " " + output.shape() + ", expected DT_FLOAT " + expected);
            }
            embeddings.copyTo(sink);
        }
    }

    /** Releases the TensorFlow session and graph, after any running {@link #embed} calls finish. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                bundle.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
