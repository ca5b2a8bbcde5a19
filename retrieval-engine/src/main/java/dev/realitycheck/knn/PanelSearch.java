package dev.realitycheck.knn;

/**
 * What every worker of one search reads, built once by {@link ExactKnn} and shared by its threads:
 * the tile kernel, the query and reference panels it multiplies, how scores are formed, the
 * reference each query must not retrieve, and how many neighbours a query keeps.
 *
 * @param kernel     the tile kernel
 * @param queries    the query rows, in panels of {@link DotKernel#MR}
 * @param references the reference rows, in panels of the kernel's {@code nr()}
 * @param euclid     Euclidean scores ({@code 2 q.r - |r|^2}) rather than dot products (cosine)
 * @param excluded   per query, the reference index it must not retrieve, or -1; {@code null} when
 *                   nothing is excluded (also the symmetric path, which skips the diagonal itself)
 * @param k          neighbours per query, at least 1 and at most the references
 */
record PanelSearch(DotKernel kernel, Panels queries, Panels references, boolean euclid, int[] excluded, int k) {

    PanelSearch {
        if (kernel == null || queries == null || references == null) {
            throw new IllegalArgumentException("a search needs its kernel and both panel sets");
        }
        if (queries.width != DotKernel.MR || references.width != kernel.nr()) {
            throw new IllegalArgumentException("panels of " + queries.width + " and " + references.width
                    + " rows do not fit the kernel's " + DotKernel.MR + "x" + kernel.nr() + " tile");
        }
        if (queries.dim != references.dim) {
            throw new IllegalArgumentException("queries have dim " + queries.dim
                    + " but references have dim " + references.dim);
        }
        if (excluded != null && excluded.length != queries.rows) {
            throw new IllegalArgumentException("excluded has " + excluded.length + " entries for "
                    + queries.rows + " queries");
        }
        if (k < 1 || k > references.rows) {
            throw new IllegalArgumentException("k must be in [1, " + references.rows + "], got " + k);
        }
    }

    /** @return the reference index query {@code query} must not retrieve, or -1 */
    int excluded(int query) {
        return excluded == null ? -1 : excluded[query];
    }
}
