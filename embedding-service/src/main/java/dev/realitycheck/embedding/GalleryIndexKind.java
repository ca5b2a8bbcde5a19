package dev.realitycheck.embedding;

/** How a gallery is searched ({@code realitycheck.embedding.gallery-index}). */
public enum GalleryIndexKind {
    /** Exact search (every vector is compared with the query): the default. */
    EXACT,
    /** Lucene's HNSW graph: approximate, sub-linear, for large galleries. */
    HNSW
}
