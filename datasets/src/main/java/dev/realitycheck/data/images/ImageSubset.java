package dev.realitycheck.data.images;

import java.io.IOException;
import java.util.Objects;

/**
 * Some images of another {@link ImageSource}, with labels of their own: a fold's training classes
 * (labels renumbered 0..n-1) or validation classes (original labels). Reads go to the underlying
 * source, so a decoded cache serves every subset of its dataset. Thread-safe when that source is.
 */
public final class ImageSubset implements ImageSource {

    private final ImageSource source;
    private final int[] indices;
    private final int[] labels;

    /**
     * @param source  the images
     * @param indices which of them, each in {@code [0, source.size())}
     * @param labels  the label of each, as many as {@code indices}
     */
    public ImageSubset(ImageSource source, int[] indices, int[] labels) {
        this.source = Objects.requireNonNull(source, "source");
        this.indices = Objects.requireNonNull(indices, "indices").clone();
        this.labels = Objects.requireNonNull(labels, "labels").clone();
        if (this.indices.length != this.labels.length) {
            throw new IllegalArgumentException(this.indices.length + " indices but " + this.labels.length + " labels");
        }
        for (int i : this.indices) {
            if (i < 0 || i >= source.size()) {
                throw new IllegalArgumentException("index " + i + " outside the source's " + source.size() + " images");
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public RgbImage read(int index) throws IOException {
        return source.read(indices[index]);
    }
}
