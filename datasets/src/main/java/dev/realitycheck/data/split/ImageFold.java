package dev.realitycheck.data.split;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.data.images.ImageSubset;
import dev.realitycheck.split.ClassSplit;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link FoldImages} for an image dataset read on demand: what one fold's run may see, the images
 * of its training classes (labels renumbered 0..n-1) and of its validation classes (original
 * labels), both of the train half of the paper's {@link ClassSplit}; the test classes are not in here.
 *
 * @param fold              the validation fold p
 * @param trainingClasses   the fold's training classes (original labels), sorted
 * @param training          their images, labels renumbered in {@code trainingClasses} order
 * @param validationClasses the fold's validation classes (original labels), sorted
 * @param validation        their images, original labels
 */
public record ImageFold(int fold, int[] trainingClasses, ImageSource training, int[] validationClasses,
                        ImageSource validation) implements ClassFold {

    /** Validates and copies. */
    public ImageFold {
        trainingClasses = Objects.requireNonNull(trainingClasses, "trainingClasses").clone();
        validationClasses = Objects.requireNonNull(validationClasses, "validationClasses").clone();
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(validation, "validation");
    }

    /**
     * Cuts fold {@code fold} of the class-disjoint split of {@code all} (labels {@code labels}) into {@code folds} folds.
     *
     * @throws IllegalArgumentException if the split or the fold is impossible (the message says why)
     */
    public static ImageFold of(ImageSource all, int[] labels, int folds, int fold) {
        ClassSplit split = ClassSplit.of(labels, folds);
        int[] trainingClasses = split.trainingClasses(fold);
        int[] validationClasses = split.validationClasses(fold);
        int[] trainRows = ClassSplit.select(labels, trainingClasses);
        int[] renumbered = new int[trainRows.length];
        for (int i = 0; i < trainRows.length; i++) {
            renumbered[i] = Arrays.binarySearch(trainingClasses, labels[trainRows[i]]);
        }
        int[] validationRows = ClassSplit.select(labels, validationClasses);
        int[] original = new int[validationRows.length];
        for (int i = 0; i < validationRows.length; i++) {
            original[i] = labels[validationRows[i]];
        }
        return new ImageFold(fold, trainingClasses, new ImageSubset(all, trainRows, renumbered), validationClasses,
                new ImageSubset(all, validationRows, original));
    }

    @Override
    public int[] trainingClasses() {
        return trainingClasses.clone();
    }

    @Override
    public int[] validationClasses() {
        return validationClasses.clone();
    }
}
