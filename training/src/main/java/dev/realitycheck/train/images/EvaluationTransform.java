package dev.realitycheck.train.images;

import dev.realitycheck.data.images.CropBox;
import dev.realitycheck.data.images.ResizeShorterSide;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.model.InputSpec;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The paper's evaluation transform: resize the shorter side ({@link ResizeShorterSide}), then the
 * centre crop of {@code width x height} ({@link CropBox#centre}). No randomness. Only the centre of
 * the resized image is computed ({@link ResizeShorterSide#apply(RgbImage, CropBox)}), the same pixels.
 *
 * @param resize the shorter-side resize; its size at least the crop's larger side
 * @param width  columns of the result, positive
 * @param height rows of the result, positive
 */
public record EvaluationTransform(ResizeShorterSide resize, int width, int height) implements ImageTransform {

    /** Checks the crop fits every resized image. */
    public EvaluationTransform {
        Objects.requireNonNull(resize, "resize");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("crop size must be positive, was " + width + " x " + height);
        }
        if (resize.size() < Math.max(width, height)) {
            throw new IllegalArgumentException("resize " + resize.size() + " is smaller than the crop " + width
                    + " x " + height);
        }
    }

    /**
     * @param input a model's image input {@code [H, W, C]}
     * @return the paper's evaluation transform to its size: resize {@link ResizeShorterSide#forCrop},
     *         centre crop
     */
    public static EvaluationTransform forInput(InputSpec input) {
        if (!input.isImage()) {
            throw new IllegalArgumentException("the model's input is not an image: " + input.shape());
        }
        int h = input.shape().get(0);
        int w = input.shape().get(1);
        return new EvaluationTransform(ResizeShorterSide.forCrop(w, h), w, h);
    }

    @Override
    public RgbImage apply(RgbImage image, SplittableRandom random) {
        CropBox box = CropBox.centre(resize.width(image.width(), image.height()),
                resize.height(image.width(), image.height()), width, height);
        // only the centre of the resized image is resampled: the same pixels as resizing it all, less work
        return resize.apply(image, box);
    }
}
