package dev.realitycheck.knn;

/**
 * A dense row-major matrix of float32 embeddings: {@code rows} vectors of {@code dim} values.
 *
 * @param values row-major values, {@code values.length == rows * dim}
 * @param rows   number of vectors (may be 0)
 * @param dim    dimension of every vector, at least 1
 */
public record Embeddings(float[] values, int rows, int dim) {

    public Embeddings {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        }
        if ((long) rows * dim != values.length) {
            throw new IllegalArgumentException(
                    "values has " + values.length + " floats, expected rows * dim = " + rows + " * " + dim);
        }
    }

    /** Copies {@code rows} of equal length into a matrix (convenient for tests and small inputs). */
    public static Embeddings of(float[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("cannot infer dim from zero rows");
        }
        int dim = rows[0].length;
        float[] values = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != dim) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + dim);
            }
            System.arraycopy(rows[i], 0, values, i * dim, dim);
        }
        return new Embeddings(values, rows.length, dim);
    }

    /** A copy of rows {@code [from, to)}, e.g. one block of queries. */
    public Embeddings slice(int from, int to) {
        if (from < 0 || to < from || to > rows) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") not within [0, " + rows + ")");
        }
        return new Embeddings(java.util.Arrays.copyOfRange(values, from * dim, to * dim), to - from, dim);
    }

    /** One value. */
    public float get(int row, int col) {
        return values[row * dim + col];
    }

    /**
     * Position of the first NaN or infinite value as {@code {row, col}}, or {@code null} when every
     * value is finite.
     */
    public int[] firstNonFinite() {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return new int[] {i / dim, i % dim};
            }
        }
        return null;
    }

    /** A copy with every row scaled to unit L2 norm (all-zero rows stay zero). */
    public Embeddings l2Normalized() {
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            int off = r * dim;
            double sum = 0;
            for (int c = 0; c < dim; c++) {
                double v = values[off + c];
                sum += v * v;
            }
            double norm = Math.sqrt(sum);
            if (norm > 0) {
                for (int c = 0; c < dim; c++) {
                    out[off + c] = (float) (values[off + c] / norm);
                }
            }
        }
        return new Embeddings(out, rows, dim);
    }
}
