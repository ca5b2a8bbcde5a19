package dev.realitycheck.data.split;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.retrieval.MeanAveragePrecisionAtR;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalMetric;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.split.ClassSplit;
import java.util.List;
import java.util.Objects;

/**
 * The images of some held-out classes as a retrieval task sees them: every image of those classes,
 * as raw pixel values (0-255, row-major, what a model's {@code images} input takes; models
 * preprocess inside their graph) with their original labels. Scored query = reference with cosine
 * distance and exact kNN ({@link #evaluate}). The one definition of held-out scoring that the
 * evaluation-service (validation and test classes) and the trainer (validation classes, for early
 * stopping and checkpoint choice) share, so a trainer's validation MAP@R is the evaluator's.
 *
 * @param pixels         {@code count * pixelsPerImage} raw values
 * @param labels         each image's original label
 * @param pixelsPerImage values per image
 */
public record HeldOutImages(float[] pixels, int[] labels, int pixelsPerImage) {

    /** Embeds images given as raw pixel values. */
    @FunctionalInterface
    public interface Embedder {
        /**
         * @param pixels         {@code count * pixelsPerImage} raw values (0-255)
         * @param count          number of images
         * @param pixelsPerImage values per image
         * @return one embedding per image, in order
         */
        Embeddings embed(float[] pixels, int count, int pixelsPerImage) throws Exception;
    }

    /** Validates the sizes. */
    public HeldOutImages {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (pixelsPerImage < 1) {
            throw new IllegalArgumentException("pixelsPerImage must be positive, was " + pixelsPerImage);
        }
        if ((long) labels.length * pixelsPerImage != pixels.length) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " values, expected " + labels.length
                    + " images x " + pixelsPerImage);
        }
    }

    /** Every image of {@code classes} in {@code images}, in index order. */
    public static HeldOutImages of(LabeledImages images, int[] classes) {
        int[] rows = ClassSplit.select(images.labels(), classes);
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = images.label(rows[i]);
        }
        return new HeldOutImages(rawPixels(images, rows), labels, images.pixelsPerImage());
    }

    /** The raw pixel values (0-255, row-major) of the given images. */
    public static float[] rawPixels(LabeledImages images, int[] rows) {
        int size = images.pixelsPerImage();
        float[] raw = new float[rows.length * size];
        for (int i = 0; i < rows.length; i++) {
            images.copyImageScaled(rows[i], raw, i * size);
        }
        for (int i = 0; i < raw.length; i++) {
            raw[i] *= 255f; // the models preprocess inside the graph
        }
        return raw;
    }

    /** @return the number of images */
    public int count() {
        return labels.length;
    }

    /** Embeds every image. */
    public Embeddings embed(Embedder embedder) throws Exception {
        return embedder.embed(pixels, count(), pixelsPerImage);
    }

    /** The query = reference task over these images' embeddings. */
    public RetrievalTask task(Embeddings embeddings) {
        return RetrievalTask.sameSet(embeddings, labels);
    }

    /** The held-out scoring: cosine distance, exact kNN on {@code knnThreads} threads, the given metrics. */
    public static RetrievalEvaluator evaluator(int knnThreads, List<RetrievalMetric> metrics) {
        return new RetrievalEvaluator(new ExactKnn(KnnDistance.COSINE, knnThreads), metrics);
    }

    /** Embeds and scores (see {@link #evaluator}). */
    public RetrievalReport evaluate(Embedder embedder, RetrievalEvaluator evaluator) throws Exception {
        return evaluator.evaluate(task(embed(embedder)));
    }

    /** MAP@R of these images under {@code embedder}: NaN when undefined (every query lone). */
    public double mapAtR(Embedder embedder, int knnThreads) throws Exception {
        return mapAtR(embed(embedder), labels, knnThreads);
    }

    /**
     * The held-out MAP@R of embeddings made elsewhere (an image dataset's, embedded batch by batch):
     * query = reference, cosine, exact kNN; NaN when undefined (every query lone).
     *
     * @param embeddings one per image
     * @param labels     each image's label
     * @param knnThreads threads of the exact kNN
     */
    public static double mapAtR(Embeddings embeddings, int[] labels, int knnThreads) {
        MeanAveragePrecisionAtR metric = new MeanAveragePrecisionAtR();
        return evaluator(knnThreads, List.of(metric)).evaluate(RetrievalTask.sameSet(embeddings, labels)).metrics()
                .get(metric.name());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldOutImages h && pixelsPerImage == h.pixelsPerImage
                && java.util.Arrays.equals(labels, h.labels) && java.util.Arrays.equals(pixels, h.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(labels) + java.util.Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "HeldOutImages[" + count() + " images of " + pixelsPerImage + " values]";
    }
}
