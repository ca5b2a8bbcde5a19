package dev.realitycheck.data.images;

import java.util.Arrays;
import java.util.Objects;

/**
 * Bilinear resampling with antialiasing as Pillow's {@code Image.resize(..., BILINEAR)} computes
 * it, which is what torchvision's {@code Resize}/{@code RandomResizedCrop} do to PIL images: a
 * triangle filter whose support widens with the downscaling factor (so shrinking averages every
 * source pixel rather than sampling four), pixel centres at half-integers, taps clipped at the
 * edges and renormalised, horizontal pass first, the intermediate rounded to 8 bits, then the
 * vertical pass, in Pillow's 22-bit fixed point (so the values are Pillow's, bit for bit, on the
 * images compared: docs/training.md). When enlarging it is ordinary half-pixel bilinear interpolation (as TensorFlow's
 * {@code ResizeBilinear} with {@code half_pixel_centers}); when shrinking it differs from
 * non-antialiased bilinear (torch's {@code interpolate(antialias=False)}, TensorFlow's op), which
 * look at two source pixels per axis only.
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
        return resize(image, box, outWidth, outHeight, CropBox.whole(outWidth, outHeight));
    }

    /**
     * Only the part {@code window} of {@link #resize(RgbImage, CropBox, int, int)}'s result,
     * computed without the rest: every output pixel depends on its own taps only, so the values
     * are the same bit for bit, at the cost of the window's pixels (a transform that crops after
     * resizing resamples only what it keeps).
     *
     * @param window the part of the {@code outWidth x outHeight} result wanted; inside it
     * @return {@code window.width() x window.height()} pixels
     */
    public static RgbImage resize(RgbImage image, CropBox box, int outWidth, int outHeight, CropBox window) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(window, "window");
        if (!box.fits(image.width(), image.height())) {
            throw new IllegalArgumentException(box + " does not fit a " + image.width() + " x " + image.height() + " image");
        }
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, was " + outWidth + " x " + outHeight);
        }
        if (!window.fits(outWidth, outHeight)) {
            throw new IllegalArgumentException(window + " does not fit the " + outWidth + " x " + outHeight + " result");
        }
        Taps columns = Taps.of(box.width(), outWidth).uniform(box.width());
        Taps rows = Taps.of(box.height(), outHeight);
        int x0 = window.left();
        int y0 = window.top();
        int width = window.width();
        int height = window.height();
        // only the source rows the vertical pass reads go through the horizontal pass
        int firstRow = rows.start[y0];
        int lastRow = rows.start[y0 + height - 1] + rows.count[y0 + height - 1];
        int midRows = lastRow - firstRow;
        byte[] src = image.rgb();
        int srcStride = image.width() * 3;
        byte[] mid;
        int midStride;
        int midOffset;
        if (box.width() == outWidth) {
            mid = src;
            midStride = srcStride;
            midOffset = (box.top() + firstRow) * srcStride + (box.left() + x0) * 3;
        } else {
            mid = new byte[midRows * width * 3];
            midStride = width * 3;
            midOffset = 0;
            int[] weights = columns.weights;
            for (int y = 0; y < midRows; y++) {
                int in = (box.top() + firstRow + y) * srcStride + box.left() * 3;
                int out = y * midStride;
                for (int x = x0; x < x0 + width; x++) {
                    int r = HALF;
                    int g = HALF;
                    int b = HALF;
                    int w = x * columns.stride;
                    int p = in + columns.start[x] * 3;
                    for (int k = 0, n = columns.count[x]; k < n; k++, p += 3) {
                        int weight = weights[w + k];
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
        int rowBytes = width * 3;
        byte[] rgb = new byte[height * rowBytes];
        if (box.height() == outHeight) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(mid, midOffset + (y0 + y - firstRow) * midStride, rgb, y * rowBytes, rowBytes);
            }
            return new RgbImage(width, height, rgb);
        }
        int[] acc = new int[rowBytes];
        for (int y = 0; y < height; y++) {
            Arrays.fill(acc, HALF);
            int w = (y0 + y) * rows.stride;
            for (int k = 0, n = rows.count[y0 + y]; k < n; k++) {
                int weight = rows.weights[w + k];
                int p = midOffset + (rows.start[y0 + y] - firstRow + k) * midStride;
                for (int i = 0; i < rowBytes; i++) {
                    acc[i] += (mid[p + i] & 0xFF) * weight;
                }
            }
            int out = y * rowBytes;
            for (int i = 0; i < rowBytes; i++) {
                rgb[out + i] = clip(acc[i]);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Pillow's fixed point: weights scaled by 2^22, so a sum of 8-bit values stays within an int. */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    /** Pillow's {@code clip8}: the fixed-point sum (rounding half already added) to 0..255. */
    private static byte clip(int sum) {
        if (sum <= 0) {
            return 0;
        }
        if (sum >= (1 << PRECISION_BITS << 8)) {
            return (byte) 255;
        }
        return (byte) (sum >> PRECISION_BITS);
    }

    /**
     * Per output position along one axis: the first source position, the tap count and the
     * normalised weights (Pillow's {@code precompute_coeffs} for the bilinear filter, support 1).
     */
    private record Taps(int[] start, int[] count, int[] weights, int stride) {

        static Taps of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * stride];
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
                    double normalised = total == 0 ? 0 : w[k] / total;
                    // Pillow's normalize_coeffs_8bpc: round half away from zero
                    weights[o * stride + k] = (int) (normalised < 0 ? -0.5 + normalised * (1 << PRECISION_BITS)
                            : 0.5 + normalised * (1 << PRECISION_BITS));
                }
                start[o] = min;
                count[o] = n;
            }
            return new Taps(start, count, weights, stride);
        }

        /**
         * The same sums with every position given the same number of taps (the widest; zero
         * weights pad, the window moved left at the far edge), so the inner loop has one trip
         * count; exact, since the sums are integers. Unchanged if the source is narrower.
         */
        Taps uniform(int inSize) {
            int span = 0;
            for (int n : count) {
                span = Math.max(span, n);
            }
            if (span > inSize) {
                return this;
            }
            int outSize = start.length;
            int[] start2 = new int[outSize];
            int[] count2 = new int[outSize];
            int[] weights2 = new int[outSize * span];
            for (int o = 0; o < outSize; o++) {
                int s = Math.min(start[o], inSize - span);
                System.arraycopy(weights, o * stride, weights2, o * span + start[o] - s, count[o]);
                start2[o] = s;
                count2[o] = span;
            }
            return new Taps(start2, count2, weights2, span);
        }
    }
}
