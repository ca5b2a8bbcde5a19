package dev.realitycheck.model;

import java.util.Map;

/**
 * ResNet-18 as torchvision computes it, in naive loops over torchvision's own tensors
 * (convolution kernels {@code [out, in, kh, kw]}, zero padding, max-pool padding of -inf), in
 * double precision: the reference {@link ResNetArchitecture} must match. Images are {@code [H, W,
 * 3]} 8-bit RGB values, normalised as torchvision's ImageNet transform does.
 */
final class ResNet18Reference {

    private static final double EPS = 1e-5;
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    /** A feature map {@code [h, w, c]}, row-major. */
    private record Map3(int h, int w, int c, double[] v) {
        double at(int y, int x, int ch) {
            return v[(y * w + x) * c + ch];
        }
    }

    private final Map<String, WeightTensor> t;

    ResNet18Reference(Map<String, WeightTensor> torchvision) {
        this.t = torchvision;
    }

    /** @return the L2-normalised embedding of one image under the given embedder ({@code [512, E]} kernel) */
    double[] embed(float[] image, int height, int width, float[] embedderKernel, float[] embedderBias) {
        double[] in = new double[height * width * 3];
        for (int i = 0; i < in.length; i++) {
            int c = i % 3;
            in[i] = (image[i] / 255.0 - MEAN[c]) / STD[c];
        }
        Map3 x = new Map3(height, width, 3, in);
        x = relu(bn("bn1", conv("conv1", x, 2, 3)));
        x = maxPool(x);
        for (int s = 1; s <= 4; s++) {
            for (int b = 0; b < 2; b++) {
                String p = "layer" + s + "." + b + ".";
                int stride = b == 0 && s > 1 ? 2 : 1;
                Map3 y = relu(bn(p + "bn1", conv(p + "conv1", x, stride, 1)));
                y = bn(p + "bn2", conv(p + "conv2", y, 1, 1));
                Map3 shortcut = t.containsKey(p + "downsample.0.weight")
                        ? bn(p + "downsample.1", conv(p + "downsample.0", x, stride, 0)) : x;
                double[] sum = new double[y.v.length];
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = Math.max(0, y.v[i] + shortcut.v[i]);
                }
                x = new Map3(y.h, y.w, y.c, sum);
            }
        }
        double[] features = new double[x.c];
        for (int i = 0; i < x.v.length; i++) {
            features[i % x.c] += x.v[i] / (x.h * x.w);
        }
        int e = embedderBias.length;
        double[] out = new double[e];
        double norm = 0;
        for (int j = 0; j < e; j++) {
            double sum = embedderBias[j];
            for (int i = 0; i < features.length; i++) {
                sum += features[i] * embedderKernel[i * e + j];
            }
            out[j] = sum;
            norm += sum * sum;
        }
        for (int j = 0; j < e; j++) {
            out[j] /= Math.sqrt(norm);
        }
        return out;
    }

    private Map3 conv(String name, Map3 x, int stride, int pad) {
        WeightTensor w = t.get(name + ".weight");
        int o = w.shape().get(0), in = w.shape().get(1), k = w.shape().get(2);
        int h = (x.h + 2 * pad - k) / stride + 1;
        int wd = (x.w + 2 * pad - k) / stride + 1;
        double[] out = new double[h * wd * o];
        for (int oy = 0; oy < h; oy++) {
            for (int ox = 0; ox < wd; ox++) {
                for (int oc = 0; oc < o; oc++) {
                    double sum = 0;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride - pad + ky;
                        if (iy < 0 || iy >= x.h) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * stride - pad + kx;
                            if (ix < 0 || ix >= x.w) {
                                continue;
                            }
                            for (int ic = 0; ic < in; ic++) {
                                sum += x.at(iy, ix, ic) * w.values()[((oc * in + ic) * k + ky) * k + kx];
                            }
                        }
                    }
                    out[(oy * wd + ox) * o + oc] = sum;
                }
            }
        }
        return new Map3(h, wd, o, out);
    }

    private Map3 bn(String name, Map3 x) {
        float[] g = t.get(name + ".weight").values();
        float[] b = t.get(name + ".bias").values();
        float[] m = t.get(name + ".running_mean").values();
        float[] v = t.get(name + ".running_var").values();
        double[] out = new double[x.v.length];
        for (int i = 0; i < out.length; i++) {
            int c = i % x.c;
            out[i] = g[c] * (x.v[i] - m[c]) / Math.sqrt(v[c] + EPS) + b[c];
        }
        return new Map3(x.h, x.w, x.c, out);
    }

    private static Map3 relu(Map3 x) {
        double[] out = x.v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, out[i]);
        }
        return new Map3(x.h, x.w, x.c, out);
    }

    private static Map3 maxPool(Map3 x) {
        int h = (x.h + 2 - 3) / 2 + 1;
        int w = (x.w + 2 - 3) / 2 + 1;
        double[] out = new double[h * w * x.c];
        for (int oy = 0; oy < h; oy++) {
            for (int ox = 0; ox < w; ox++) {
                for (int c = 0; c < x.c; c++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = oy * 2 - 1 + ky;
                            int ix = ox * 2 - 1 + kx;
                            if (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w) {
                                max = Math.max(max, x.at(iy, ix, c));
                            }
                        }
                    }
                    out[(oy * w + ox) * x.c + c] = max;
                }
            }
        }
        return new Map3(h, w, x.c, out);
    }
}
