package dev.realitycheck.embedding.gallery;

import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import java.util.ArrayList;
import java.util.List;

/** Exact search with the library's blockwise {@link ExactKnn}; nothing to build. */
public final class ExactGalleryIndex implements GalleryIndex {

    private final float[] vectors;
    private final int rows;
    private final int dim;
    private final KnnDistance distance;
    private final int threads;

    /** An index over {@code rows} vectors of {@code dim} values, row-major (not copied). */
    public ExactGalleryIndex(float[] vectors, int rows, int dim, KnnDistance distance, int threads) {
        this.vectors = vectors;
        this.rows = rows;
        this.dim = dim;
        this.distance = distance;
        this.threads = Math.max(1, threads);
    }

    @Override
    public List<Hit> search(float[] query, int k, int exclude) {
        List<Hit> hits = new ArrayList<>();
        new ExactKnn(distance, threads).search(new Embeddings(query, 1, dim), new Embeddings(vectors, rows, dim),
                exclude < 0 ? null : new int[] {exclude}, k, (q, indices, scores, count) -> {
                    for (int i = 0; i < count; i++) {
                        double d = distance == KnnDistance.COSINE ? 1.0 - scores[i] : scores[i];
                        hits.add(new Hit(indices[i], d));
                    }
                });
        return hits;
    }

    @Override
    public void close() {
    }
}
