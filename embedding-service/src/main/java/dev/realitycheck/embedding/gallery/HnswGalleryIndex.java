package dev.realitycheck.embedding.gallery;

import dev.realitycheck.knn.KnnDistance;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Approximate search with Lucene's HNSW graph: the vectors are indexed once into an in-memory
 * {@link ByteBuffersDirectory} as {@link KnnFloatVectorField}s (Lucene's default codec: HNSW with
 * M = 16, beam width 100, no quantization) and searched with a {@link KnnFloatVectorQuery} that
 * collects {@code max(k + 1, efSearch)} candidates. The candidates' distances are then recomputed
 * exactly, so reported distances equal exact search's; only which neighbours are found is
 * approximate. Cosine uses L2-normalised vectors and Lucene's DOT_PRODUCT. At most 1024 dimensions
 * (Lucene's limit). Thread-safe for searches.
 */
public final class HnswGalleryIndex implements GalleryIndex {

    /** Lucene's largest indexable vector dimension. */
    public static final int MAX_DIMENSIONS = 1024;

    private static final String VECTOR = "v";
    private static final String ROW = "row";

    private final float[] vectors;
    private final int dim;
    private final KnnDistance distance;
    private final int efSearch;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final int[] rowOfDoc;

    /** Builds the graph over {@code rows} vectors of {@code dim} values, row-major (not copied). */
    public HnswGalleryIndex(float[] vectors, int rows, int dim, KnnDistance distance, int efSearch) {
        if (dim > MAX_DIMENSIONS) {
            throw Status.FAILED_PRECONDITION.withDescription("embeddings have " + dim + " dimensions; the hnsw gallery"
                    + " index takes at most " + MAX_DIMENSIONS + ": use gallery-index=exact").asRuntimeException();
        }
        this.vectors = vectors;
        this.dim = dim;
        this.distance = distance;
        this.efSearch = Math.max(1, efSearch);
        VectorSimilarityFunction similarity = distance == KnnDistance.COSINE ? VectorSimilarityFunction.DOT_PRODUCT
                : VectorSimilarityFunction.EUCLIDEAN;
        try {
            IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE)
                    .setRAMBufferSizeMB(256);
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                for (int r = 0; r < rows; r++) {
                    Document doc = new Document();
                    doc.add(new KnnFloatVectorField(VECTOR, prepare(vectors, r * dim), similarity));
                    doc.add(new NumericDocValuesField(ROW, r));
                    writer.addDocument(doc);
                }
            }
            reader = DirectoryReader.open(directory);
            rowOfDoc = new int[reader.maxDoc()];
            for (LeafReaderContext leaf : reader.leaves()) {
                NumericDocValues values = leaf.reader().getNumericDocValues(ROW);
                for (int d = values.nextDoc(); d != NumericDocValues.NO_MORE_DOCS; d = values.nextDoc()) {
                    rowOfDoc[leaf.docBase + d] = (int) values.longValue();
                }
            }
            searcher = new IndexSearcher(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Hit> search(float[] query, int k, int exclude) {
        int candidates = Math.max(k + 1, efSearch);
        ScoreDoc[] found;
        try {
            found = searcher.search(new KnnFloatVectorQuery(VECTOR, prepare(query, 0), candidates), candidates).scoreDocs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Hit> hits = new ArrayList<>(found.length);
        for (ScoreDoc sd : found) {
            int row = rowOfDoc[sd.doc];
            if (row != exclude) {
                hits.add(new Hit(row, exactDistance(query, row)));
            }
        }
        hits.sort(Comparator.comparingDouble(Hit::distance).thenComparingInt(Hit::row));
        return hits.size() > k ? new ArrayList<>(hits.subList(0, k)) : hits;
    }

    /** A copy of one vector as Lucene indexes it (unit length for cosine). */
    private float[] prepare(float[] source, int offset) {
        float[] v = new float[dim];
        System.arraycopy(source, offset, v, 0, dim);
        if (distance == KnnDistance.COSINE) {
            double norm = Math.sqrt(dot(v, 0, v, 0));
            if (norm > 0) {
                for (int i = 0; i < dim; i++) {
                    v[i] = (float) (v[i] / norm);
                }
            }
        }
        return v;
    }

    private double exactDistance(float[] query, int row) {
        int off = row * dim;
        if (distance == KnnDistance.COSINE) {
            double qq = dot(query, 0, query, 0);
            double rr = dot(vectors, off, vectors, off);
            double denom = Math.sqrt(qq) * Math.sqrt(rr);
            return 1.0 - (denom > 0 ? dot(query, 0, vectors, off) / denom : 0.0);
        }
        double s = 0;
        for (int i = 0; i < dim; i++) {
            double d = query[i] - vectors[off + i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private double dot(float[] a, int ao, float[] b, int bo) {
        double s = 0;
        for (int i = 0; i < dim; i++) {
            s += (double) a[ao + i] * b[bo + i];
        }
        return s;
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
