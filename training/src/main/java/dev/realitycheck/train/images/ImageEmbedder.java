package dev.realitycheck.train.images;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.model.InputSpec;
import java.io.IOException;
import java.util.Objects;

/**
 * Embeds every image of an {@link ImageSource} as a checkpoint's consumers must: the
 * {@link EvaluationTransform} at the model's input size, raw 0..255 values in its colour order
 * ({@link Normalisation#rawPixels}), batch by batch through an {@link ImagePipeline}, so memory holds
 * a few batches of pixels and the embeddings, never the whole set's pixels.
 */
public final class ImageEmbedder {

    /** Embeds one batch of raw model inputs. */
    @FunctionalInterface
    public interface Model {
        /**
         * @param inputs {@code count} items of the model's input size, NHWC
         * @param count  items
         * @return {@code count} embeddings, row-major
         */
        float[] embed(float[] inputs, int count) throws Exception;
    }

    /**
     * The embeddings of a set, in index order, with its labels.
     *
     * @param embeddings one row per image
     * @param labels     each image's label
     */
    public record Embedded(Embeddings embeddings, int[] labels) {

        /** Validates the sizes. */
        public Embedded {
            Objects.requireNonNull(embeddings, "embeddings");
            Objects.requireNonNull(labels, "labels");
            if (labels.length != embeddings.rows()) {
                throw new IllegalArgumentException(embeddings.rows() + " embeddings but " + labels.length + " labels");
            }
        }
    }

    private ImageEmbedder() {
    }

    /**
     * @param source        the images
     * @param input         the model's input
     * @param embeddingSize the model's embedding size
     * @param batchSize     images per model call, positive
     * @param workers       pipeline workers, positive
     * @param model         the model
     * @throws Exception an {@link IOException} naming the file if an image cannot be read, or the model's failure
     */
    public static Embedded embed(ImageSource source, InputSpec input, int embeddingSize, int batchSize, int workers,
                                 Model model) throws Exception {
        return embed(source, EvaluationTransform.forInput(input), Normalisation.rawPixels(input), embeddingSize,
                batchSize, workers, model);
    }

    /**
     * As {@link #embed(ImageSource, InputSpec, int, int, int, Model)} with the transform and values a
     * checkpoint's input contract names ({@link InputContract#transform}, {@link InputContract#pixels}).
     *
     * @param transform     what turns each decoded image into the model's size
     * @param normalisation how its pixels become the model's values
     */
    public static Embedded embed(ImageSource source, ImageTransform transform, Normalisation normalisation,
                                 int embeddingSize, int batchSize, int workers, Model model) throws Exception {
        int n = source.size();
        float[] values = new float[Math.multiplyExact(n, embeddingSize)];
        int[] labels = new int[n];
        try (ImagePipeline pipeline = new ImagePipeline(source, BatchPlan.sequential(n, batchSize),
                transform, normalisation, 0, 0, workers, 2 * workers)) {
            int row = 0;
            while (pipeline.hasNext()) {
                ImageBatch batch = pipeline.next();
                float[] e = model.embed(batch.values(), batch.count());
                if (e.length != batch.count() * embeddingSize) {
                    throw new IllegalStateException("the model gave " + e.length + " values for " + batch.count()
                            + " images of embedding size " + embeddingSize);
                }
                System.arraycopy(e, 0, values, row * embeddingSize, e.length);
                System.arraycopy(batch.labels(), 0, labels, row, batch.count());
                row += batch.count();
            }
        }
        return new Embedded(new Embeddings(values, n, embeddingSize), labels);
    }
}
