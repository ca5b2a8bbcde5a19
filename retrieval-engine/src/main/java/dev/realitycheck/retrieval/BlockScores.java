package dev.realitycheck.retrieval;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The partial result of scoring one block of queries, {@code [from, to)}, against the whole
 * reference set ({@link RetrievalEvaluator#scoreBlock}): every metric's value for every query of
 * the block, in query order. {@link RetrievalEvaluator#combine} concatenates blocks and sums in
 * query order, so any split into blocks (across threads, worker processes or replicas) gives the
 * single-process result bit for bit; per-query values rather than per-block sums are what makes
 * that hold for every split, since floating-point sums depend on their grouping.
 *
 * @param from     first query of the block (inclusive)
 * @param to       end of the block (exclusive), {@code > from}
 * @param values   {@code values[m][q - from]} is metric m's value for query q (0 for lone queries,
 *                 which no average reads); one row per metric, each {@code to - from} long
 * @param knnNanos time the block's kNN search took
 */
public record BlockScores(int from, int to, double[][] values, long knnNanos) {

    public BlockScores {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("block [" + from + ", " + to + ") is empty or negative");
        }
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("values must hold at least one metric");
        }
        for (double[] row : values) {
            if (row == null || row.length != to - from) {
                throw new IllegalArgumentException("every metric needs " + (to - from) + " values for block ["
                        + from + ", " + to + ")");
            }
        }
        if (knnNanos < 0) {
            throw new IllegalArgumentException("knnNanos must be >= 0, got " + knnNanos);
        }
    }

    /** Queries in the block. */
    public int size() {
        return to - from;
    }

    /**
     * Writes the block in a fixed binary form (big-endian ints, longs and IEEE doubles, so the
     * values travel bit for bit): from, to, metric count, knnNanos, then each metric's values.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(from);
        out.writeInt(to);
        out.writeInt(values.length);
        out.writeLong(knnNanos);
        for (double[] row : values) {
            for (double v : row) {
                out.writeDouble(v);
            }
        }
    }

    /** Reads what {@link #writeTo} wrote; the record's checks reject a damaged header. */
    public static BlockScores readFrom(DataInput in) throws IOException {
        int from = in.readInt();
        int to = in.readInt();
        int metrics = in.readInt();
        long knnNanos = in.readLong();
        if (from < 0 || to <= from || metrics < 1 || metrics > 1024) {
            throw new IOException("not a block of scores: [" + from + ", " + to + "), " + metrics + " metrics");
        }
        double[][] values = new double[metrics][to - from];
        for (double[] row : values) {
            for (int i = 0; i < row.length; i++) {
                row[i] = in.readDouble();
            }
        }
        return new BlockScores(from, to, values, knnNanos);
    }
}
