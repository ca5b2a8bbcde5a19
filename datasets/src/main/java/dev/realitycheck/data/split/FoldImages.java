package dev.realitycheck.data.split;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.split.ClassSplit;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a training run of one fold may see, and nothing more: the images of the fold's training
 * classes (to train on) and of its validation classes (to validate on). Both are classes of the
 * train half of the {@link ClassSplit}; the test classes are not in here, so nothing a trainer
 * decides from a {@code FoldImages} (early stopping, the chosen checkpoint) can depend on them.
 *
 * @param fold              the validation fold p
 * @param trainingClasses   the fold's training classes (original labels), sorted
 * @param training          their images, labels renumbered 0..n-1 in {@code trainingClasses} order
 * @param validationClasses the fold's validation classes (original labels), sorted
 * @param validation        their images as a held-out retrieval set (original labels)
 */
public record FoldImages(int fold, int[] trainingClasses, LabeledImages training, int[] validationClasses,
                         HeldOutImages validation) implements ClassFold {

    /** Validates and copies the class arrays. */
    public FoldImages {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(validation, "validation");
        if (fold < 0) {
            throw new IllegalArgumentException("fold must not be negative, was " + fold);
        }
        trainingClasses = trainingClasses.clone();
        validationClasses = validationClasses.clone();
        for (int c : validationClasses) {
            if (Arrays.binarySearch(trainingClasses, c) >= 0) {
                throw new IllegalArgumentException("class " + c + " is both a training and a validation class");
            }
        }
    }

    /**
     * Cuts fold {@code fold} of the {@link ClassSplit#of class-disjoint split} of {@code all} into {@code folds} folds.
     *
     * @throws IllegalArgumentException if the split or the fold is impossible (the message says why)
     */
    public static FoldImages of(LabeledImages all, int folds, int fold) {
        ClassSplit split = ClassSplit.of(all.labels(), folds);
        int[] validationClasses = split.validationClasses(fold);
        int[] trainingClasses = split.trainingClasses(fold);
        return new FoldImages(fold, trainingClasses, renumbered(all, trainingClasses), validationClasses,
                HeldOutImages.of(all, validationClasses));
    }

    @Override
    public int[] trainingClasses() {
        return trainingClasses.clone();
    }

    @Override
    public int[] validationClasses() {
        return validationClasses.clone();
    }

    /** The images of {@code classes}, labels renumbered to their position in {@code classes}. */
    public static LabeledImages renumbered(LabeledImages all, int[] classes) {
        int[] idx = ClassSplit.select(all.labels(), classes);
        int size = all.pixelsPerImage();
        byte[] pixels = new byte[idx.length * size];
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(all.pixels(), idx[i] * size, pixels, i * size, size);
            labels[i] = Arrays.binarySearch(classes, all.label(idx[i]));
        }
        return new LabeledImages(all.height(), all.width(), pixels, labels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FoldImages f && fold == f.fold && Arrays.equals(trainingClasses, f.trainingClasses)
                && Arrays.equals(validationClasses, f.validationClasses) && training.equals(f.training)
                && validation.equals(f.validation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fold, Arrays.hashCode(trainingClasses), Arrays.hashCode(validationClasses));
    }

    @Override
    public String toString() {
        return "FoldImages[fold " + fold + ", training " + Arrays.toString(trainingClasses) + " (" + training.count()
                + " images), validation " + Arrays.toString(validationClasses) + " (" + validation.count() + " images)]";
    }
}
