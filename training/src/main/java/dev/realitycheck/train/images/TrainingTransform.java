package dev.realitycheck.train.images;

import dev.realitycheck.data.images.Bilinear;
import dev.realitycheck.data.images.CropBox;
import dev.realitycheck.data.images.ResizeShorterSide;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.model.InputSpec;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The paper's training transform: resize the shorter side ({@link ResizeShorterSide}, skipped for a
 * cache already at that size), {@link RandomResizedCrop}, then a horizontal flip with probability
 * one half. Draws per image, in order: the crop's, then the flip (when enabled). The crop's box is
 * drawn on the resized size first, and only that part of the resized image is computed
 * ({@link ResizeShorterSide#apply(RgbImage, CropBox)}): the pixels of resize-then-crop, bit for bit.
 *
 * @param resize the shorter-side resize
 * @param crop   the random crop to the model's size
 * @param flip   whether to flip half the images
 */
public record TrainingTransform(ResizeShorterSide resize, RandomResizedCrop crop, boolean flip)
        implements ImageTransform {

    /** Checks the parts are present. */
    public TrainingTransform {
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(crop, "crop");
    }

    /**
     * @param input a model's image input {@code [H, W, C]}
     * @return the paper's training transform to its size: resize {@link ResizeShorterSide#forCrop},
     *         {@link RandomResizedCrop#paper}, flip
     */
    public static TrainingTransform forInput(InputSpec input) {
        if (!input.isImage()) {
            throw new IllegalArgumentException("the model's input is not an image: " + input.shape());
        }
        int h = input.shape().get(0);
        int w = input.shape().get(1);
        return new TrainingTransform(ResizeShorterSide.forCrop(w, h), RandomResizedCrop.paper(w, h), true);
    }

    @Override
    public RgbImage apply(RgbImage image, SplittableRandom random) {
        CropBox box = crop.box(resize.width(image.width(), image.height()),
                resize.height(image.width(), image.height()), random);
        // only the part of the resized image that the crop keeps is resampled: the same pixels, less work
        RgbImage kept = resize.apply(image, box);
        RgbImage out = Bilinear.resize(kept, CropBox.whole(kept.width(), kept.height()), crop.width(), crop.height());
        return flip && random.nextBoolean() ? HorizontalFlip.apply(out) : out;
    }

    @Override
    public int width() {
        return crop.width();
    }

    @Override
    public int height() {
        return crop.height();
    }
}
