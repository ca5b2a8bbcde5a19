package dev.realitycheck.train.images;

import dev.realitycheck.data.images.RgbImage;
import java.util.SplittableRandom;

/**
 * What turns one decoded image into the model's input size: {@link TrainingTransform} (random) or
 * {@link EvaluationTransform} (fixed). The result is a pure function of the image and the random
 * stream, so a pipeline that hands each image its own stream is deterministic however many threads
 * run it.
 */
public interface ImageTransform {

    /**
     * @param image  the decoded image
     * @param random the image's own draws (unused by a fixed transform)
     * @return an image of {@link #width()} x {@link #height()}
     */
    RgbImage apply(RgbImage image, SplittableRandom random);

    /** @return columns of every result */
    int width();

    /** @return rows of every result */
    int height();
}
