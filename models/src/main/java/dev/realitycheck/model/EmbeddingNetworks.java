package dev.realitycheck.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The built-in embedding networks, and the "untrained network" baseline: one of them with
 * seeded random weights, exported as a checkpoint model.
 */
public final class EmbeddingNetworks {

    private EmbeddingNetworks() {
    }

    /**
     * An MLP over vectors, e.g. {@code mlp(784, 32, 64)}: 784 -> 64 (ReLU) -> 32.
     *
     * @param inputSize     the length of an input vector
     * @param embeddingSize the embedding size
     * @param hidden        the hidden layer widths, first to last
     */
    public static MlpArchitecture mlp(int inputSize, int embeddingSize, int... hidden) {
        return new MlpArchitecture(InputSpec.vector(inputSize), Arrays.stream(hidden).boxed().toList(), embeddingSize);
    }

    /**
     * An MLP over images, flattened in {@code [H, W, C]} order.
     *
     * @param input         an image input and its preprocessing
     * @param embeddingSize the embedding size
     * @param hidden        the hidden layer widths, first to last
     */
    public static MlpArchitecture mlp(InputSpec input, int embeddingSize, List<Integer> hidden) {
        return new MlpArchitecture(input, hidden, embeddingSize);
    }

    /**
     * The small CNN with 16 and 32 channels over 8-bit single-channel images (pixels scaled by
     * 1/255), e.g. {@code cnn(28, 28, 64)} for Fashion-MNIST.
     */
    public static CnnArchitecture cnn(int height, int width, int embeddingSize) {
        return cnn(InputSpec.image(height, width, 1, Preprocessing.pixels()), embeddingSize);
    }

    /**
     * The small CNN with 16 and 32 channels over any image input, e.g. 32 x 32 RGB pixels of an
     * image dataset ({@code InputSpec.image(32, 32, 3, Preprocessing.pixels())}).
     */
    public static CnnArchitecture cnn(InputSpec input, int embeddingSize) {
        return new CnnArchitecture(input, 16, 32, embeddingSize);
    }

    /**
     * Exports {@code architecture} with the weights {@link Weights#initial(Architecture, long)}
     * draws from {@code seed}: the untrained-network baseline.
     *
     * @param architecture the network
     * @param seed         the seed of every random weight
     * @param directory    where to write the SavedModel (absent or empty)
     * @return the weights written, for reference computations
     * @throws IOException if the model cannot be written
     */
    public static Weights exportUntrained(Architecture architecture, long seed, Path directory) throws IOException {
        Weights weights = Weights.initial(architecture, seed);
        SavedModelExporter.export(weights, directory);
        return weights;
    }
}
