package dev.realitycheck.embedding.gallery;

import java.util.List;

/**
 * A nearest-neighbour index over one gallery's vectors (one checkpoint, one distance), built when
 * the gallery is searched after it changed. {@link ExactGalleryIndex} compares the query with every
 * vector; {@link HnswGalleryIndex} walks a Lucene HNSW graph (approximate, for large galleries).
 */
public interface GalleryIndex extends AutoCloseable {

    /** One neighbour: the gallery row and its distance (cosine: 1 - cosine similarity; Euclidean: L2). */
    record Hit(int row, double distance) {
    }

    /**
     * The k nearest rows to the query, nearest first.
     *
     * @param query   a vector of the gallery's dimension
     * @param exclude a row left out of the results (the query's own item), or -1
     */
    List<Hit> search(float[] query, int k, int exclude);

    /** Frees the index (nothing for exact search). */
    @Override
    void close();
}
