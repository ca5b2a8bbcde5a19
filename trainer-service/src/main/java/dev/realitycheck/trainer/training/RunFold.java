package dev.realitycheck.trainer.training;

import dev.realitycheck.data.split.ClassFold;
import dev.realitycheck.data.split.FoldImages;
import dev.realitycheck.data.split.ImageFold;
import dev.realitycheck.train.TrainingData;
import dev.realitycheck.train.images.ImageTrainingData;
import java.util.Objects;

/**
 * What one run's fold gives the trainer: the training classes' images (what {@link
 * dev.realitycheck.train.TrainingRun} trains on) and the validation classes' images (what the run
 * validates on), from an IDX dataset held in memory or an image dataset read on demand.
 */
public sealed interface RunFold {

    /** @return the fold's classes */
    ClassFold classes();

    /** @return the fold's training classes (original labels), sorted */
    default int[] trainingClasses() {
        return classes().trainingClasses();
    }

    /** @return the fold's validation classes (original labels), sorted */
    default int[] validationClasses() {
        return classes().validationClasses();
    }

    /** @return images of the validation classes */
    int validationCount();

    /** @return the training images, labels renumbered 0..n-1 */
    TrainingData training();

    /** @return the image dataset's content fingerprint; empty for IDX datasets */
    String fingerprint();

    /**
     * An IDX dataset's fold.
     *
     * @param images the fold's images
     */
    record Pixels(FoldImages images) implements RunFold {

        /** Validates. */
        public Pixels {
            Objects.requireNonNull(images, "images");
        }

        @Override
        public ClassFold classes() {
            return images;
        }

        @Override
        public int validationCount() {
            return images.validation().count();
        }

        @Override
        public TrainingData training() {
            return new TrainingData.Pixels(images.training());
        }

        @Override
        public String fingerprint() {
            return "";
        }
    }

    /**
     * An image dataset's fold.
     *
     * @param images      the fold's images
     * @param workers     image pipeline worker threads, positive
     * @param fingerprint the dataset's content fingerprint
     */
    record Images(ImageFold images, int workers, String fingerprint) implements RunFold {

        /** Validates. */
        public Images {
            Objects.requireNonNull(images, "images");
            Objects.requireNonNull(fingerprint, "fingerprint");
            if (workers <= 0) {
                throw new IllegalArgumentException("workers must be positive, was " + workers);
            }
        }

        @Override
        public ClassFold classes() {
            return images;
        }

        @Override
        public int validationCount() {
            return images.validation().size();
        }

        @Override
        public TrainingData training() {
            return new ImageTrainingData(images.training(), workers);
        }
    }
}
