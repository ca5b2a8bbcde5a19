package dev.realitycheck.retrieval;

import dev.realitycheck.knn.Embeddings;

/**
 * What to evaluate: labelled query embeddings and the labelled references they are ranked against.
 * Use {@link #sameSet}, {@link #separate} or {@link #queryPrefix}.
 *
 * @param queries         query embeddings
 * @param queryLabels     one label per query
 * @param references      reference embeddings (the queries themselves in {@link ReferenceMode#SAME})
 * @param referenceLabels one label per reference
 * @param mode            how queries relate to references
 */
public record RetrievalTask(Embeddings queries, int[] queryLabels, Embeddings references, int[] referenceLabels,
                            ReferenceMode mode) {

    public RetrievalTask {
        if (queries == null || queryLabels == null || references == null || referenceLabels == null || mode == null) {
            throw new IllegalArgumentException("queries, labels, references and mode must not be null");
        }
        if (queryLabels.length != queries.rows()) {
            throw new IllegalArgumentException("query labels has " + queryLabels.length + " entries for "
                    + queries.rows() + " query embeddings");
        }
        if (referenceLabels.length != references.rows()) {
            throw new IllegalArgumentException("reference labels has " + referenceLabels.length
                    + " entries for " + references.rows() + " reference embeddings");
        }
        if (queries.dim() != references.dim()) {
            throw new IllegalArgumentException("queries have dim " + queries.dim()
                    + " but references have dim " + references.dim());
        }
        if (mode == ReferenceMode.QUERY_PREFIX && references.rows() < queries.rows()) {
            throw new IllegalArgumentException("query-prefix mode needs at least as many references ("
                    + references.rows() + ") as queries (" + queries.rows() + ")");
        }
        requireFinite(queries, "query embeddings");
        requireFinite(references, "reference embeddings");
    }

    /** Every embedding queries all the others (the default evaluation of held-out classes). */
    public static RetrievalTask sameSet(Embeddings embeddings, int[] labels) {
        return new RetrievalTask(embeddings, labels, embeddings, labels, ReferenceMode.SAME);
    }

    /** Queries ranked against a distinct reference set. */
    public static RetrievalTask separate(Embeddings queries, int[] queryLabels, Embeddings references,
                                         int[] referenceLabels) {
        return new RetrievalTask(queries, queryLabels, references, referenceLabels, ReferenceMode.SEPARATE);
    }

    /** References whose first rows are the queries; each query skips its own row. */
    public static RetrievalTask queryPrefix(Embeddings queries, int[] queryLabels, Embeddings references,
                                            int[] referenceLabels) {
        return new RetrievalTask(queries, queryLabels, references, referenceLabels, ReferenceMode.QUERY_PREFIX);
    }

    private static void requireFinite(Embeddings e, String what) {
        int[] at = e.firstNonFinite();
        if (at != null) {
            throw new IllegalArgumentException(what + " contain a non-finite value ("
                    + e.get(at[0], at[1]) + ") at row " + at[0] + ", column " + at[1]);
        }
    }
}
