package dev.realitycheck.model;

/**
 * The forward pass of a {@link CnnArchitecture}'s inference graph in plain Java (double
 * accumulation): preprocessing, twice {conv 3x3 SAME -> BatchNorm with the moving statistics ->
 * ReLU -> max-pool 2x2}, flatten in {@code [H, W, C]} order, the dense embedder, L2 normalisation.
 * To check an exported model against.
 */
public final class CnnReference {

    private CnnReference() {
    }

    /**
     * @param weights a CNN's weights
     * @param inputs  raw images, {@code count * H * W * C} values
     * @param count   the number of images
     * @return the embeddings, {@code count * E} values
     */
    public static float[] embed(Weights weights, float[] inputs, int count) {
        CnnArchitecture cnn = (CnnArchitecture) weights.architecture();
        int h = cnn.input().shape().get(0);
        int w = cnn.input().shape().get(1);
        int c = cnn.input().channels();
        int e = cnn.embeddingSize();
        Preprocessing p = cnn.input().preprocessing();
        float[] out = new float[count * e];
        for (int item = 0; item < count; item++) {
            double[] x = new double[h * w * c];
            for (int i = 0; i < x.length; i++) {
                x[i] = inputs[item * x.length + i] * p.multiplier(i % c) + p.offset(i % c);
            }
            int[] dims = {h, w, c};
            for (int b = 1; b <= 2; b++) {
                int channels = b == 1 ? cnn.channels1() : cnn.channels2();
                x = conv(x, dims, weights.get("conv" + b + "_kernel"), channels);
                dims = new int[] {dims[0], dims[1], channels};
                batchNormRelu(x, channels, weights.get("bn" + b + "_gamma"), weights.get("bn" + b + "_beta"),
                        weights.get("bn" + b + "_moving_mean"), weights.get("bn" + b + "_moving_variance"));
                x = maxPool(x, dims);
                dims = new int[] {dims[0] / 2, dims[1] / 2, channels};
            }
            float[] kernel = weights.get("embedder_kernel");
            float[] bias = weights.get("embedder_bias");
            double[] y = new double[e];
            double squared = 0;
            for (int j = 0; j < e; j++) {
                double s = bias[j];
                for (int i = 0; i < x.length; i++) {
                    s += x[i] * kernel[i * e + j];
                }
                y[j] = s;
                squared += s * s;
            }
            double inverse = 1 / Math.sqrt(Math.max(squared, 1e-12));
            for (int j = 0; j < e; j++) {
                out[item * e + j] = (float) (y[j] * inverse);
            }
        }
        return out;
    }

    private static double[] conv(double[] x, int[] dims, float[] kernel, int outChannels) {
        int h = dims[0];
        int w = dims[1];
        int in = dims[2];
        double[] y = new double[h * w * outChannels];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int o = 0; o < outChannels; o++) {
                    double s = 0;
                    for (int di = 0; di < 3; di++) {
                        for (int dj = 0; dj < 3; dj++) {
                            int r = i + di - 1;
                            int q = j + dj - 1;
                            if (r < 0 || r >= h || q < 0 || q >= w) {
                                continue;
                            }
                            for (int k = 0; k < in; k++) {
                                s += x[(r * w + q) * in + k] * kernel[((di * 3 + dj) * in + k) * outChannels + o];
                            }
                        }
                    }
                    y[(i * w + j) * outChannels + o] = s;
                }
            }
        }
        return y;
    }

    private static void batchNormRelu(double[] x, int channels, float[] gamma, float[] beta, float[] mean,
                                      float[] variance) {
        for (int i = 0; i < x.length; i++) {
            int k = i % channels;
            double v = gamma[k] * (x[i] - mean[k]) / Math.sqrt(variance[k] + (double) BatchNorm.EPSILON) + beta[k];
            x[i] = Math.max(0, v);
        }
    }

    private static double[] maxPool(double[] x, int[] dims) {
        int h = dims[0] / 2;
        int w = dims[1] / 2;
        int c = dims[2];
        double[] y = new double[h * w * c];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int k = 0; k < c; k++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int di = 0; di < 2; di++) {
                        for (int dj = 0; dj < 2; dj++) {
                            m = Math.max(m, x[((2 * i + di) * dims[1] + 2 * j + dj) * c + k]);
                        }
                    }
                    y[(i * w + j) * c + k] = m;
                }
            }
        }
        return y;
    }
}
