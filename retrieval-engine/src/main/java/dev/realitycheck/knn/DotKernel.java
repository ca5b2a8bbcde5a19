package dev.realitycheck.knn;

/**
 * Computes one {@link #MR} x {@link #nr()} tile of dot products between packed panels.
 *
 * <p>Panels are "p-major": a query panel holds {@code MR} rows as {@code a[off + p*MR + r]}, a
 * reference panel holds {@code nr()} rows as {@code b[off + p*nr() + c]} (see {@link Panels}).
 * Every implementation accumulates each dot product in the same order, one fused multiply-add
 * per dimension from {@code p = 0} upwards, so all kernels give bit-identical scores and a
 * vector's score never depends on where it sits in a block: exact duplicates tie exactly.
 */
public interface DotKernel {

    /** Query rows per tile. */
    int MR = 8;

    /** Reference rows per tile. */
    int nr();

    /**
     * Writes {@code out[r * nr() + c] = dot(query row r, reference row c)} for the tile.
     *
     * @param a    packed query panels
     * @param aOff start of this query panel in {@code a}
     * @param b    packed reference panels
     * @param bOff start of this reference panel in {@code b}
     * @param dim  vector dimension
     * @param out  {@code MR * nr()} floats
     */
    void tile(float[] a, int aOff, float[] b, int bOff, int dim, float[] out);

    /** Short description for logs and benchmarks (e.g. "vector-512bit"). */
    String description();

    /**
     * The fastest kernel this JVM can run: the Vector API one when {@link VectorApi} finds the
     * {@code jdk.incubator.vector} module (run with {@code --add-modules=jdk.incubator.vector}), otherwise
     * the scalar one.
     */
    static DotKernel best() {
        return VectorApi.orElse(() -> new VectorDotKernel(), () -> new ScalarDotKernel(32));
    }
}
