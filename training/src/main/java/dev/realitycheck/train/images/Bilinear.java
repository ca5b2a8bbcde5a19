package dev.realitycheck.train.images;

import dev.realitycheck.data.images.RgbImage;
import java.util.Objects;

/**
 * Bilinear resampling with antialiasing as Pillow's {@code Image.resize(..., BILINEAR)} computes
 * it, which is what torchvision's {@code Resize}/{@code RandomResizedCrop} do to PIL images: a
 * triangle filter whose support widens with the downscaling factor (so shrinking averages every
 * source pixel rather than sampling four), pixel centres at half-integers, taps clipped at the
 * edges and renormalised, horizontal pass first, the intermediate rounded to 8 bits, then the
 * vertical pass. When enlarging it is ordinary half-pixel bilinear interpolation (as TensorFlow's
 * {@code ResizeBilinear} with {@code half_pixel_centers}); when shrinking it differs from
 * non-antialiased bilinear (torch's {@code interpolate(antialias=False)}, TensorFlow's op), which
 * look at two source pixels per axis only. Pillow uses 22-bit fixed-point weights, this uses
 * floats, so a value can differ from Pillow's by one where the sum falls on a rounding edge.
 */
public final class Bilinear {

    private Bilinear() {
    }

    /**
     * @param image     the source
     * @param box       the part of it to resample; inside the image; the filter sees only this part
     * @param outWidth  columns of the result, positive
     * @param outHeight rows of the result, positive
     * @return the box resampled to {@code outWidth x outHeight}
     */
    public static RgbImage resize(RgbImage image, CropBox box, int outWidth, int outHeight) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(box, "box");
        if (!box.fits(image.width(), image.height())) {
            throw new IllegalArgumentException(box + " does not fit a " + image.width() + " x " + image.height() + " image");
        }
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, was " + outWidth + " x " + outHeight);
        }
        Taps columns = Taps.of(box.width(), outWidth);
        Taps rows = Taps.of(box.height(), outHeight);
        // only the source rows the vertical pass reads go through the horizontal pass
        int firstRow = rows.start[0];
        int lastRow = rows.start[outHeight - 1] + rows.count[outHeight - 1];
        int midRows = lastRow - firstRow;
        byte[] src = image.rgb();
        int srcStride = image.width() * 3;
        byte[] mid;
        int midStride;
        int midOffset;
        if (box.width() == outWidth) {
            mid = src;
            midStride = srcStride;
            midOffset = (box.top() + firstRow) * srcStride + box.left() * 3;
        } else {
            mid = new byte[midRows * outWidth * 3];
            midStride = outWidth * 3;
            midOffset = 0;
            for (int y = 0; y < midRows; y++) {
                int in = (box.top() + firstRow + y) * srcStride + box.left() * 3;
                int out = y * midStride;
                for (int x = 0; x < outWidth; x++) {
                    float r = 0;
                    float g = 0;
                    float b = 0;
                    int w = x * columns.stride;
                    int p = in + columns.start[x] * 3;
                    for (int k = 0; k < columns.count[x]; k++, p += 3) {
                        float weight = columns.weights[w + k];
                        r += (src[p] & 0xFF) * weight;
                        g += (src[p + 1] & 0xFF) * weight;
                        b += (src[p + 2] & 0xFF) * weight;
                    }
                    mid[out++] = clip(r);
                    mid[out++] = clip(g);
                    mid[out++] = clip(b);
                }
            }
        }
        if (box.height() == outHeight) {
            byte[] rgb = new byte[outHeight * outWidth * 3];
            for (int y = 0; y < outHeight; y++) {
                System.arraycopy(mid, midOffset + y * midStride, rgb, y * outWidth * 3, outWidth * 3);
            }
            return new RgbImage(outWidth, outHeight, rgb);
        }
        byte[] rgb = new byte[outHeight * outWidth * 3];
        float[] acc = new float[outWidth * 3];
        for (int y = 0; y < outHeight; y++) {
            java.util.Arrays.fill(acc, 0f);
            int w = y * rows.stride;
            for (int k = 0; k < rows.count[y]; k++) {
                float weight = rows.weights[w + k];
                int p = midOffset + (rows.start[y] - firstRow + k) * midStride;
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += (mid[p + i] & 0xFF) * weight;
                }
            }
            int out = y * outWidth * 3;
            for (int i = 0; i < acc.length; i++) {
                rgb[out + i] = clip(acc[i]);
            }
        }
        return new RgbImage(outWidth, outHeight, rgb);
    }

    /** Round half up and clip to 0..255, as Pillow stores each pass. */
    private static byte clip(float v) {
        int i = (int) (v + 0.5f);
        return (byte) (i < 0 ? 0 : Math.min(i, 255));
    }

    /**
     * Per output position along one axis: the first source position, the tap count and the
     * normalised weights (Pillow's {@code precompute_coeffs} for the bilinear filter, support 1).
     */
    private record Taps(int[] start, int[] count, float[] weights, int stride) {

        static Taps of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            float[] weights = new float[outSize * stride];
            double[] w = new double[stride];
            for (int o = 0; o < outSize; o++) {
                double centre = (o + 0.5) * scale;
                int min = Math.max((int) (centre - support + 0.5), 0);
                int n = Math.min((int) (centre + support + 0.5), inSize) - min;
                double total = 0;
                for (int k = 0; k < n; k++) {
                    double t = Math.abs((k + min - centre + 0.5) / filterScale);
                    w[k] = t < 1 ? 1 - t : 0;
                    total += w[k];
                }
                for (int k = 0; k < n; k++) {
                    weights[o * stride + k] = (float) (total == 0 ? 0 : w[k] / total);
                }
                start[o] = min;
                count[o] = n;
            }
            return new Taps(start, count, weights, stride);
        }
    }
}
