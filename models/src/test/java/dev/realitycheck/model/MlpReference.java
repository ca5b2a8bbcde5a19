package dev.realitycheck.model;

/**
 * The forward pass of an {@link MlpArchitecture} in plain Java (double accumulation), to check the
 * exported TensorFlow graph against: preprocessing, dense + ReLU layers, linear embedder, L2
 * normalisation with {@code max(|y|^2, 1e-12)}.
 */
public final class MlpReference {

    private MlpReference() {
    }

    /**
     * @param mlp     the architecture
     * @param weights its weights
     * @param inputs  {@code count} raw inputs, row-major
     * @param count   the number of items
     * @return {@code count} L2-normalised embeddings, row-major
     */
    public static float[] embed(MlpArchitecture mlp, Weights weights, float[] inputs, int count) {
        int inSize = mlp.input().size();
        int e = mlp.embeddingSize();
        Preprocessing p = mlp.input().preprocessing();
        int channels = mlp.input().channels();
        float[] out = new float[count * e];
        for (int item = 0; item < count; item++) {
            double[] x = new double[inSize];
            for (int i = 0; i < inSize; i++) {
                int c = i % channels;
                x[i] = inputs[item * inSize + i] * p.multiplier(c) + p.offset(c);
            }
            for (int layer = 0; layer < mlp.hidden().size(); layer++) {
                x = dense(x, weights.get("dense" + layer + "_kernel"), weights.get("dense" + layer + "_bias"), true);
            }
            double[] y = dense(x, weights.get("embedder_kernel"), weights.get("embedder_bias"), false);
            double squared = 0;
            for (double v : y) {
                squared += v * v;
            }
            double inverse = 1 / Math.sqrt(Math.max(squared, 1e-12));
            for (int j = 0; j < e; j++) {
                out[item * e + j] = (float) (y[j] * inverse);
            }
        }
        return out;
    }

    private static double[] dense(double[] x, float[] kernel, float[] bias, boolean relu) {
        int out = bias.length;
        double[] y = new double[out];
        for (int j = 0; j < out; j++) {
            double s = bias[j];
            for (int i = 0; i < x.length; i++) {
                s += x[i] * kernel[i * out + j];
            }
            y[j] = relu ? Math.max(0, s) : s;
        }
        return y;
    }
}
