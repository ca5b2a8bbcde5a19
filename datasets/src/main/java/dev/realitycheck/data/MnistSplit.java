package dev.realitycheck.data;

/** Which part of an MNIST-style directory to load. */
public enum MnistSplit {
    /** The {@code train-*} files. */
    TRAIN,
    /** The {@code t10k-*} files. */
    TEST,
    /** Training images followed by test images. */
    ALL
}
