package dev.realitycheck.data;

import dev.realitycheck.knn.Embeddings;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Deterministic labelled Gaussian clusters, shaped like real retrieval test sets: used by the
 * evaluation benchmark and the example data of {@code bin/realitycheck}.
 *
 * @param embeddings row-major vectors
 * @param labels     class of each row, 0-based
 * @param classes    number of classes
 */
public record SyntheticClusters(Embeddings embeddings, int[] labels, int classes) {

    public SyntheticClusters {
        if (labels.length != embeddings.rows()) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries for " + embeddings.rows() + " rows");
        }
    }

    /**
     * Generates {@code n} vectors in {@code classes} classes whose sizes lie in {@code [minSize, maxSize]}
     * (every class gets {@code minSize}, the rest is spread at random), each a class centre on the unit
     * sphere plus isotropic Gaussian noise of total standard deviation {@code noise}.
     *
     * @throws IllegalArgumentException if {@code n} does not fit the class-size range
     */
    public static SyntheticClusters generate(int n, int dim, int classes, int minSize, int maxSize, double noise,
                                             long seed) {
        if (classes < 1 || dim < 1 || minSize < 1 || maxSize < minSize) {
            throw new IllegalArgumentException("bad shape: classes=" + classes + " dim=" + dim + " sizes=["
                    + minSize + ", " + maxSize + "]");
        }
        if ((long) classes * minSize > n || (long) classes * maxSize < n) {
            throw new IllegalArgumentException(n + " rows cannot be split into " + classes
                    + " classes of " + minSize + " to " + maxSize);
        }
        Random random = new Random(seed);
        int[] sizes = new int[classes];
        java.util.Arrays.fill(sizes, minSize);
        int open = classes;
        int[] openClasses = new int[classes];
        for (int c = 0; c < classes; c++) {
            openClasses[c] = c;
        }
        for (int left = n - classes * minSize; left > 0; left--) {
            int pick = random.nextInt(open);
            int c = openClasses[pick];
            if (++sizes[c] == maxSize) {
                openClasses[pick] = openClasses[--open];
            }
        }
        int[] labels = new int[n];
        for (int c = 0, i = 0; c < classes; c++) {
            for (int s = 0; s < sizes[c]; s++) {
                labels[i++] = c;
            }
        }
        // shuffle so that classes are not contiguous blocks
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        float[] centres = new float[classes * dim];
        for (int c = 0; c < classes; c++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                double v = random.nextGaussian();
                centres[c * dim + j] = (float) v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < dim; j++) {
                centres[c * dim + j] *= inv;
            }
        }
        float[] values = new float[n * dim];
        SplittableRandom noiseRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double perDim = noise / Math.sqrt(dim);
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            for (int j = 0; j < dim; j++) {
                values[i * dim + j] = centres[c * dim + j] + (float) (perDim * gaussian(noiseRandom));
            }
        }
        return new SyntheticClusters(new Embeddings(values, n, dim), labels, classes);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian before Java 17's RandomGenerator default
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
