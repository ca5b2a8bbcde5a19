package dev.realitycheck.train.images;

import dev.realitycheck.data.images.RgbImage;
import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomResizedCrop}: a box whose area is a uniform fraction in
 * [{@code minScale}, {@code maxScale}] of the image's and whose aspect ratio (width / height) is
 * log-uniform in [{@code minRatio}, {@code maxRatio}], at a uniform position; up to ten attempts
 * for a box that fits, else the centre crop of the whole image clamped to the ratio range. The box
 * is then resampled ({@link Bilinear}) to {@code width x height}. The draws come from the given
 * stream (not torch's generator), in torchvision's order: per attempt the area, then the log-ratio;
 * then the row, then the column.
 *
 * @param width    columns of the result, positive
 * @param height   rows of the result, positive
 * @param minScale smallest area fraction, in (0, maxScale]
 * @param maxScale largest area fraction, at most 1
 * @param minRatio smallest aspect ratio, positive
 * @param maxRatio largest aspect ratio, at least {@code minRatio}
 */
public record RandomResizedCrop(int width, int height, double minScale, double maxScale, double minRatio,
                                double maxRatio) {

    /** The paper's (and torchvision's default) ratio range 3/4 .. 4/3 with area 0.16 .. 1. */
    public static RandomResizedCrop paper(int width, int height) {
        return new RandomResizedCrop(width, height, 0.16, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    /** Validates the ranges. */
    public RandomResizedCrop {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("crop size must be positive, was " + width + " x " + height);
        }
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
            throw new IllegalArgumentException("scale range must satisfy 0 < min <= max <= 1, was [" + minScale
                    + ", " + maxScale + "]");
        }
        if (!(minRatio > 0 && minRatio <= maxRatio && Double.isFinite(maxRatio))) {
            throw new IllegalArgumentException("ratio range must satisfy 0 < min <= max, was [" + minRatio + ", "
                    + maxRatio + "]");
        }
    }

    /**
     * @param imageWidth  columns of the image
     * @param imageHeight rows of the image
     * @param random      the draws
     * @return the box to crop (torchvision's {@code get_params})
     */
    public CropBox box(int imageWidth, int imageHeight, SplittableRandom random) {
        double area = (double) imageWidth * imageHeight;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * uniform(random, minScale, maxScale);
            double ratio = Math.exp(uniform(random, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(target * ratio));
            int h = (int) Math.rint(Math.sqrt(target / ratio));
            if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight) {
                int top = random.nextInt(imageHeight - h + 1);
                int left = random.nextInt(imageWidth - w + 1);
                return new CropBox(left, top, w, h);
            }
        }
        double inRatio = (double) imageWidth / imageHeight;
        int w;
        int h;
        if (inRatio < minRatio) {
            w = imageWidth;
            h = (int) Math.rint(w / minRatio);
        } else if (inRatio > maxRatio) {
            h = imageHeight;
            w = (int) Math.rint(h * maxRatio);
        } else {
            w = imageWidth;
            h = imageHeight;
        }
        return new CropBox((imageWidth - w) / 2, (imageHeight - h) / 2, w, h);
    }

    /** @return a random box of the image resampled to {@code width x height} */
    public RgbImage apply(RgbImage image, SplittableRandom random) {
        CropBox box = box(image.width(), image.height(), random);
        return Bilinear.resize(image, box, width, height);
    }

    private static double uniform(SplittableRandom random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }
}
