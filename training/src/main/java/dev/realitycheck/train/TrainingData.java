package dev.realitycheck.train;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.model.InputSpec;
import java.io.IOException;
import java.util.Objects;

/**
 * The training images of a {@link TrainingRun}: small grey images held in memory ({@link Pixels}:
 * IDX, glyphs), augmented by the run's {@link Augmentation}; or a {@link Streamed} source whose
 * batches are built elsewhere (an image dataset through the image pipeline:
 * {@code dev.realitycheck.train.images.ImageTrainingData}).
 */
public interface TrainingData {

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

    /** Training data whose batches a producer builds, following the run's sampler. */
    interface Streamed extends TrainingData {

        /**
         * @param sampler    the run's sampler: batch i holds {@code sampler.batch(i)}
         * @param input      the model's input: the batches' item size, channels and colour order
         * @param seed       the run's seed
         * @param firstBatch the first batch the run needs (its iteration)
         * @return the batches from {@code firstBatch} on, in order
         */
        Batches open(MPerClassSampler sampler, InputSpec input, long seed, long firstBatch);
    }

    /** Batches handed out in order; close to stop the producer. */
    interface Batches extends AutoCloseable {

        /**
         * @return the next batch
         * @throws IOException if an image of it could not be read (the message names the file) or
         *                     the wait was interrupted
         */
        Batch next() throws IOException;

        @Override
        void close();
    }

    /**
     * One batch: raw model input values (NHWC) and labels.
     *
     * @param index  the batch's position in the run
     * @param values the items' values
     * @param labels each item's label
     */
    record Batch(long index, float[] values, int[] labels) {

        /** Validates. */
        public Batch {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(labels, "labels");
        }
    }
}
