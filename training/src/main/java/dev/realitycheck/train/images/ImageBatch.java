package dev.realitycheck.train.images;

import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * One batch of the image pipeline: {@code count} items of {@code height x width x channels} float
 * values, NHWC row-major, with the images' dataset indices and labels.
 *
 * <p>For size reasons the arrays are not copied: treat them as read-only.
 *
 * @param index    the batch's position in its plan
 * @param indices  the dataset index of each item
 * @param labels   the label of each item, as many as {@code indices}
 * @param values   {@code count * height * width * channels} values
 * @param height   rows per item, positive
 * @param width    columns per item, positive
 * @param channels values per pixel, positive
 */
public record ImageBatch(long index, int[] indices, int[] labels, float[] values, int height, int width, int channels) {

    /** Validates the sizes against each other. */
    public ImageBatch {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(values, "values");
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("item shape must be positive, was " + height + " x " + width + " x "
                    + channels);
        }
        if (labels.length != indices.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + labels.length + " labels");
        }
        if (values.length != (long) indices.length * height * width * channels) {
            throw new IllegalArgumentException(indices.length + " items of " + height + " x " + width + " x "
                    + channels + " need " + (long) indices.length * height * width * channels + " values, got "
                    + values.length);
        }
    }

    /** @return the number of items */
    public int count() {
        return indices.length;
    }

    /** @return the NHWC shape {@code [count, height, width, channels]} */
    public Shape shape() {
        return Shape.of(count(), height, width, channels);
    }

    /**
     * @return a new tensor of {@link #shape()} holding {@link #values()} (one copy into the
     *         tensor's native memory); the caller closes it
     */
    public TFloat32 tensor() {
        return TFloat32.tensorOf(shape(), DataBuffers.of(values, true, false));
    }
}
