package dev.realitycheck.train.images;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.train.MPerClassSampler;
import dev.realitycheck.train.TrainingData;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;

/**
 * An image dataset as a {@link dev.realitycheck.train.TrainingRun}'s data: batch i is built by an
 * {@link ImagePipeline} over {@link BatchPlan#sampled the run's sampler}, started at the run's
 * iteration, with the paper's {@link TrainingTransform} at the model's input size and raw 0..255
 * values in its colour order ({@link Normalisation#rawPixels}; the graph applies the rest). Each
 * image's draws are addressed by batch and position, so the weights do not depend on
 * {@code workers} and a resumed run continues bit for bit.
 *
 * @param source  the images, labels 0..n-1
 * @param workers the pipeline's worker threads, positive
 */
public record ImageTrainingData(ImageSource source, int workers) implements TrainingData.Streamed {

    /** Validates the source and the worker count. */
    public ImageTrainingData {
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

    @Override
    public TrainingData.Batches open(MPerClassSampler sampler, InputSpec input, long seed, long firstBatch) {
        if (!input.isImage()) {
            throw new IllegalArgumentException("an image dataset needs an image input, the model takes " + input.shape());
        }
        ImagePipeline pipeline = new ImagePipeline(source, BatchPlan.sampled(sampler::batch), TrainingTransform.forInput(input),
                Normalisation.rawPixels(input), seed, firstBatch, workers, 2 * workers);
        return new TrainingData.Batches() {
            @Override
            public TrainingData.Batch next() throws IOException {
                try {
                    ImageBatch batch = pipeline.next();
                    return new TrainingData.Batch(batch.index(), batch.values(), batch.labels());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for an image batch");
                }
            }

            @Override
            public void close() {
                pipeline.close();
            }
        };
    }
}
