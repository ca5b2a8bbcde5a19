package dev.realitycheck.split;

import java.util.Arrays;

/**
 * The paper's class-disjoint split: the distinct labels sorted, the first half of the classes for
 * training and validation, the second half held out for testing; the training classes are split
 * again into {@code folds} class-disjoint validation folds, fold p validating on the classes
 * {@code [floor(p*N/K), floor((p+1)*N/K))} of the N training classes and training on the rest.
 *
 * @param trainClasses the first half of the sorted classes (train + validation)
 * @param testClasses  the second half (never trained on, never used to choose anything)
 * @param folds        number of validation folds K, at least 1 and at most the training classes
 */
public record ClassSplit(int[] trainClasses, int[] testClasses, int folds) {

    public ClassSplit {
        if (trainClasses.length == 0 || testClasses.length == 0) {
            throw new IllegalArgumentException("need at least one training and one test class, got "
                    + trainClasses.length + " and " + testClasses.length);
        }
        if (folds < 1 || folds > trainClasses.length) {
            throw new IllegalArgumentException("folds must be in [1, " + trainClasses.length + "] (the training classes), got " + folds);
        }
        trainClasses = trainClasses.clone();
        testClasses = testClasses.clone();
    }

    /** Splits the distinct values of {@code labels}: first half (rounded down) train, rest test. */
    public static ClassSplit of(int[] labels, int folds) {
        int[] classes = Arrays.stream(labels).distinct().sorted().toArray();
        if (classes.length < 2) {
            throw new IllegalArgumentException("a class-disjoint split needs at least 2 classes, got " + classes.length);
        }
        int half = classes.length / 2;
        return new ClassSplit(Arrays.copyOfRange(classes, 0, half), Arrays.copyOfRange(classes, half, classes.length),
                folds);
    }

    @Override
    public int[] trainClasses() {
        return trainClasses.clone();
    }

    @Override
    public int[] testClasses() {
        return testClasses.clone();
    }

    /** The classes fold {@code fold} validates on. */
    public int[] validationClasses(int fold) {
        if (fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("fold must be in [0, " + (folds - 1) + "], got " + fold);
        }
        int n = trainClasses.length;
        return Arrays.copyOfRange(trainClasses, (int) ((long) fold * n / folds), (int) ((long) (fold + 1) * n / folds));
    }

    /** The classes fold {@code fold} trains on: the training classes minus its validation classes. */
    public int[] trainingClasses(int fold) {
        int[] validation = validationClasses(fold);
        return Arrays.stream(trainClasses).filter(c -> Arrays.binarySearch(validation, c) < 0).toArray();
    }

    /** Indices of the items whose label is one of {@code classes}, in order. */
    public static int[] select(int[] labels, int[] classes) {
        int[] sorted = classes.clone();
        Arrays.sort(sorted);
        return java.util.stream.IntStream.range(0, labels.length)
                .filter(i -> Arrays.binarySearch(sorted, labels[i]) >= 0).toArray();
    }
}
