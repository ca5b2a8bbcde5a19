package dev.realitycheck.retrieval;

/** How the query set relates to the reference set it is ranked against. */
public enum ReferenceMode {
    /** The references ARE the queries; query i never retrieves reference i (by index). */
    SAME,
    /** A distinct reference set; nothing is excluded, even a reference equal to a query. */
    SEPARATE,
    /**
     * The first {@code n_query} references are the queries (pytorch-metric-learning's
     * {@code ref_includes_query=True}); query i never retrieves reference i.
     */
    QUERY_PREFIX
}
