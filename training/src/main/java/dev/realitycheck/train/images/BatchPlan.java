package dev.realitycheck.train.images;

import dev.realitycheck.train.MPerClassSampler;
import java.util.Objects;

/**
 * Which images make batch {@code i}: a pure function of {@code i}, so workers may build batches in
 * any order and a resumed run continues from its iteration alone.
 */
public interface BatchPlan {

    /** @return the number of batches; {@link Long#MAX_VALUE} for an endless training plan */
    long batches();

    /**
     * @param index the batch, {@code 0 <= index < batches()}
     * @return the image indices of the batch, in order
     */
    int[] batch(long index);

    /** @return the training plan: batch {@code i} is {@link MPerClassSampler#batch(long) sampler.batch(i)}, endless */
    static BatchPlan sampled(MPerClassSampler sampler) {
        Objects.requireNonNull(sampler, "sampler");
        return new BatchPlan() {
            @Override
            public long batches() {
                return Long.MAX_VALUE;
            }

            @Override
            public int[] batch(long index) {
                return sampler.batch(index);
            }
        };
    }

    /**
     * @param size      images in the dataset, non-negative
     * @param batchSize images per batch, positive; the last batch holds the rest
     * @return the evaluation plan: every image once, in index order
     */
    static BatchPlan sequential(int size, int batchSize) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        long batches = (size + (long) batchSize - 1) / batchSize;
        return new BatchPlan() {
            @Override
            public long batches() {
                return batches;
            }

            @Override
            public int[] batch(long index) {
                if (index < 0 || index >= batches) {
                    throw new IndexOutOfBoundsException("batch " + index + " of " + batches);
                }
                int from = (int) (index * batchSize);
                int n = Math.min(batchSize, size - from);
                int[] ids = new int[n];
                for (int k = 0; k < n; k++) {
                    ids[k] = from + k;
                }
                return ids;
            }
        };
    }
}
