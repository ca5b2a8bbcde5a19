package dev.realitycheck.model;

import java.util.List;
import java.util.Objects;

/**
 * The input a model takes for one item, without the batch dimension, and how raw values are
 * preprocessed.
 *
 * <p>Two layouts exist: a vector {@code [D]} and an image {@code [H, W, C]} (height, width,
 * channels, row-major, channels last as TensorFlow's NHWC). The SavedModel's {@code images} input
 * then has shape {@code [-1, D]} or {@code [-1, H, W, C]}.
 *
 * @param shape         one or three positive dimensions
 * @param preprocessing applied inside the model to raw values; its channel count is 1 or the last
 *                      dimension of {@code shape}
 */
public record InputSpec(List<Integer> shape, Preprocessing preprocessing) {

    /** Validates the shape against its layout and the preprocessing's channel count. */
    public InputSpec {
        shape = List.copyOf(Objects.requireNonNull(shape, "shape"));
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (shape.size() != 1 && shape.size() != 3) {
            throw new IllegalArgumentException("shape must be [D] or [H, W, C], was " + shape);
        }
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("every dimension of shape must be positive, was " + shape);
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + shape + " has more than 2^31-1 values per item");
        }
        int channels = shape.getLast();
        if (preprocessing.channels() != 1 && preprocessing.channels() != channels) {
            throw new IllegalArgumentException("preprocessing names " + preprocessing.channels()
                    + " channels but shape " + shape + " has " + channels);
        }
    }

    /** @return a vector input {@code [size]} fed unchanged */
    public static InputSpec vector(int size) {
        return new InputSpec(List.of(size), Preprocessing.none());
    }

    /** @return an image input {@code [height, width, channels]} with the given preprocessing */
    public static InputSpec image(int height, int width, int channels, Preprocessing preprocessing) {
        return new InputSpec(List.of(height, width, channels), preprocessing);
    }

    /** @return whether this is an image {@code [H, W, C]} rather than a vector */
    public boolean isImage() {
        return shape.size() == 3;
    }

    /** @return the number of values in one item, the product of the dimensions */
    public int size() {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        return size;
    }

    /** @return the last dimension: channels of an image, the length of a vector */
    public int channels() {
        return shape.getLast();
    }

    /** @return the shape with a leading unknown batch dimension, as the graph declares it */
    public long[] batchShape() {
        long[] dims = new long[shape.size() + 1];
        dims[0] = -1;
        for (int i = 0; i < shape.size(); i++) {
            dims[i + 1] = shape.get(i);
        }
        return dims;
    }
}
