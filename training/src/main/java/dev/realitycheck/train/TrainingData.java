package dev.realitycheck.train;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.images.ImageSource;
import java.util.Objects;

/**
 * The training images of a {@link TrainingRun}: small grey images held in memory (IDX, glyphs),
 * augmented by the run's {@link Augmentation}; or an {@link ImageSource} (an image dataset's
 * files or its decoded cache) whose batches an {@link dev.realitycheck.train.images.ImagePipeline}
 * builds with the paper's training transform at the model's input size.
 */
public sealed interface TrainingData {

    /** @return the label of every image, for the m-per-class sampler */
    int[] labels();

    /** @return the number of images */
    default int count() {
        return labels().length;
    }

    /**
     * Grey images in memory.
     *
     * @param images the images, labels 0..n-1
     */
    record Pixels(LabeledImages images) implements TrainingData {

        /** Validates the images. */
        public Pixels {
            Objects.requireNonNull(images, "images");
        }

        @Override
        public int[] labels() {
            return images.labels();
        }
    }

    /**
     * Colour images decoded on demand.
     *
     * @param source  the images, labels 0..n-1
     * @param workers the pipeline's worker threads, positive; the batches are the same for any count
     */
    record Images(ImageSource source, int workers) implements TrainingData {

        /** Validates the source and the worker count. */
        public Images {
            Objects.requireNonNull(source, "source");
            if (workers <= 0) {
                throw new IllegalArgumentException("workers must be positive, was " + workers);
            }
        }

        @Override
        public int[] labels() {
            int[] labels = new int[source.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = source.label(i);
            }
            return labels;
        }
    }
}
