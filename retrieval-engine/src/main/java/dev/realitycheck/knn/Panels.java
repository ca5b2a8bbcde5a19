package dev.realitycheck.knn;

/**
 * Embeddings repacked for {@link DotKernel}: groups of {@code width} rows stored dimension-major
 * ({@code data[group * width * dim + p * width + r]}), the last group zero-padded. Also keeps each
 * row's squared L2 norm (for Euclidean scores).
 */
final class Panels {

    final int width;
    final int rows;
    final int dim;
    final float[] data;
    final float[] squaredNorms;

    Panels(Embeddings e, int width) {
        this.width = width;
        this.rows = e.rows();
        this.dim = e.dim();
        int groups = (rows + width - 1) / width;
        long size = (long) groups * width * dim;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "embeddings too large for one array: " + rows + " x " + dim + " (pad to " + size + ")");
        }
        this.data = new float[(int) size];
        this.squaredNorms = new float[groups * width];
        float[] v = e.values();
        for (int row = 0; row < rows; row++) {
            int base = (row / width) * width * dim + (row % width);
            int src = row * dim;
            float sq = 0f;
            for (int p = 0; p < dim; p++) {
                float x = v[src + p];
                data[base + p * width] = x;
                sq = Math.fma(x, x, sq);
            }
            squaredNorms[row] = sq;
        }
    }

    /** Offset of the panel holding rows {@code [group*width, group*width + width)}. */
    int offset(int group) {
        return group * width * dim;
    }
}
