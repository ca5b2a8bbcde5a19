package dev.realitycheck.data.images;

/**
 * Resizes an image so that its shorter side has a given length, keeping the aspect ratio (the
 * longer side rounded): bilinear interpolation with half-pixel centres and edge clamping, no
 * anti-aliasing filter (as TensorFlow's {@code resize_bilinear} with {@code half_pixel_centers}),
 * values rounded half up. Used by the decoded cache ({@link DecodedCache}) with side 256, the
 * paper's first resize.
 */
public final class ShorterSideResize {

    private ShorterSideResize() {
    }

    /** @return {@code image} resized so its shorter side is {@code side}; {@code image} itself if it already is */
    public static RgbImage apply(RgbImage image, int side) {
        if (side <= 0) {
            throw new IllegalArgumentException("side must be positive, got " + side);
        }
        int w = image.width();
        int h = image.height();
        int nw = w <= h ? side : (int) Math.round((double) w * side / h);
        int nh = w <= h ? (int) Math.round((double) h * side / w) : side;
        if (nw == w && nh == h) {
            return image;
        }
        int[] x0 = new int[nw];
        int[] x1 = new int[nw];
        float[] fx = new float[nw];
        axis(w, nw, x0, x1, fx);
        int[] y0 = new int[nh];
        int[] y1 = new int[nh];
        float[] fy = new float[nh];
        axis(h, nh, y0, y1, fy);
        byte[] src = image.rgb();
        byte[] out = new byte[nw * nh * 3];
        for (int y = 0; y < nh; y++) {
            int top = y0[y] * w * 3;
            int bottom = y1[y] * w * 3;
            float wy = fy[y];
            for (int x = 0; x < nw; x++) {
                int l = x0[x] * 3;
                int r = x1[x] * 3;
                float wx = fx[x];
                int o = (y * nw + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float t = (src[top + l + c] & 0xFF) * (1 - wx) + (src[top + r + c] & 0xFF) * wx;
                    float b = (src[bottom + l + c] & 0xFF) * (1 - wx) + (src[bottom + r + c] & 0xFF) * wx;
                    out[o + c] = (byte) (int) (t * (1 - wy) + b * wy + 0.5f);
                }
            }
        }
        return new RgbImage(nw, nh, out);
    }

    /** Source indices and weights of each output coordinate along one axis. */
    private static void axis(int in, int out, int[] i0, int[] i1, float[] frac) {
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double s = Math.max(0, Math.min(in - 1, (i + 0.5) * scale - 0.5));
            i0[i] = (int) s;
            i1[i] = Math.min(i0[i] + 1, in - 1);
            frac[i] = (float) (s - i0[i]);
        }
    }
}
