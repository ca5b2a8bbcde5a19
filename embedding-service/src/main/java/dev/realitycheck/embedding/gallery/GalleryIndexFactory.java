package dev.realitycheck.embedding.gallery;

import dev.realitycheck.embedding.GalleryIndexKind;
import dev.realitycheck.knn.KnnDistance;

/**
 * Builds a gallery's {@link GalleryIndex}: HNSW when the gallery's kind is {@link GalleryIndexKind#HNSW}
 * and it holds at least {@code hnswMinItems} items (below that exact search is as fast and exact),
 * otherwise exact.
 *
 * @param kind         the gallery's index kind
 * @param hnswMinItems smallest gallery indexed with HNSW
 * @param efSearch     HNSW candidates collected per query (more: better recall, slower)
 * @param threads      threads of one exact search
 */
public record GalleryIndexFactory(GalleryIndexKind kind, int hnswMinItems, int efSearch, int threads) {

    /** Exact search with the given threads. */
    public static GalleryIndexFactory exact(int threads) {
        return new GalleryIndexFactory(GalleryIndexKind.EXACT, Integer.MAX_VALUE, 0, threads);
    }

    /** An index over {@code rows} vectors of {@code dim} values, row-major (not copied). */
    public GalleryIndex build(float[] vectors, int rows, int dim, KnnDistance distance) {
        if (kind == GalleryIndexKind.HNSW && rows >= hnswMinItems) {
            return new HnswGalleryIndex(vectors, rows, dim, distance, efSearch);
        }
        return new ExactGalleryIndex(vectors, rows, dim, distance, threads);
    }
}
