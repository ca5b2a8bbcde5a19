package dev.realitycheck.embedding.gallery;

import dev.realitycheck.embedding.GalleryIndexKind;
import dev.realitycheck.embedding.serving.LoadedModel;
import dev.realitycheck.embedding.serving.ModelLease;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.proto.v1.Neighbor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One named gallery: labelled items kept as their raw model inputs, plus their embeddings by the
 * checkpoint that last embedded them. When a request uses another checkpoint (the served model
 * changed, or the request names one), the whole gallery is re-embedded lazily with it before it is
 * searched or extended, so a gallery's vectors always come from a single checkpoint. Searches use a
 * {@link GalleryIndex} per distance, built by the gallery's {@link GalleryIndexFactory} on the first
 * search after the vectors changed (an add or a re-embedding drops it). Thread-safe (one request at
 * a time per gallery).
 */
public final class Gallery {

    private final String name;
    private final List<float[]> inputs = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final List<Long> labels = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private List<Integer> inputShape;
    private String checkpointId;
    private float[] vectors = new float[0];
    private int dim;
    private final GalleryIndexFactory indexFactory;
    private final Map<KnnDistance, GalleryIndex> indexes = new EnumMap<>(KnnDistance.class);

    /** An empty gallery searched with indexes from the factory. */
    public Gallery(String name, GalleryIndexFactory indexFactory) {
        this.name = name;
        this.indexFactory = indexFactory;
    }

    /** The kind of index this gallery is searched with (at its current size). */
    public GalleryIndexKind indexKind() {
        return indexFactory.kind();
    }

    public String name() {
        return name;
    }

    public synchronized int size() {
        return ids.size();
    }

    /** Removes every item. */
    public synchronized void clear() {
        inputs.clear();
        ids.clear();
        labels.clear();
        index.clear();
        vectors = new float[0];
        dropIndexes();
        checkpointId = null;
        inputShape = null;
    }

    /**
     * Adds items (already validated against the lease's model) embedded by the lease's model.
     *
     * @param rows   raw inputs, one row per item
     * @param itemIds the items' ids ("" for one assigned here)
     * @param itemLabels labels, null where absent
     * @return the gallery size afterwards
     */
    public synchronized int add(ModelLease lease, float[] rows, List<String> itemIds, List<Long> itemLabels, int maxItems) {
        int n = itemIds.size();
        if (ids.size() + n > maxItems) {
            throw Status.RESOURCE_EXHAUSTED.withDescription("gallery '" + name + "' holds " + ids.size()
                    + " items; " + n + " more exceed its limit of " + maxItems).asRuntimeException();
        }
        Map<String, Integer> fresh = new HashMap<>();
        List<String> assigned = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = itemIds.get(i).isEmpty() ? Integer.toString(ids.size() + i) : itemIds.get(i);
            if (index.containsKey(id) || fresh.putIfAbsent(id, i) != null) {
                throw Status.INVALID_ARGUMENT.withDescription("items.items[" + i + "].item.id '" + id
                        + "' is already in gallery '" + name + "'").asRuntimeException();
            }
            assigned.add(id);
        }
        bringTo(lease);
        int size = lease.model().embedder().inputSize();
        float[] added = lease.embed(rows, n);
        ModelLease.checkOutputs(added, n, "items");
        for (int i = 0; i < n; i++) {
            float[] row = new float[size];
            System.arraycopy(rows, i * size, row, 0, size);
            index.put(assigned.get(i), ids.size());
            inputs.add(row);
            ids.add(assigned.get(i));
            labels.add(itemLabels.get(i));
        }
        float[] all = new float[vectors.length + added.length];
        System.arraycopy(vectors, 0, all, 0, vectors.length);
        System.arraycopy(added, 0, all, vectors.length, added.length);
        vectors = all;
        dropIndexes();
        return ids.size();
    }

    /** The checkpoint the vectors come from (null while empty). */
    public synchronized String checkpointId() {
        return checkpointId;
    }

    /**
     * The k nearest items to a query (exact, or approximate where the gallery uses HNSW).
     *
     * @param lease    the model the gallery must be embedded with
     * @param query    the query vector, or null to query by {@code itemId}
     * @param itemId   a gallery item to query with (excluded from its own results), when query is null
     * @param distance the distance
     */
    public synchronized List<Neighbor> search(ModelLease lease, float[] query, String itemId, int k, KnnDistance distance) {
        bringTo(lease);
        int exclude = -1;
        if (query == null) {
            Integer row = index.get(itemId);
            if (row == null) {
                throw Status.NOT_FOUND.withDescription("gallery '" + name + "' has no item '" + itemId + "'")
                        .asRuntimeException();
            }
            exclude = row;
            query = new float[dim];
            System.arraycopy(vectors, row * dim, query, 0, dim);
        } else if (query.length != dim) {
            throw Status.INVALID_ARGUMENT.withDescription("vector has " + query.length
                    + " values, the gallery's embeddings (checkpoint " + checkpointId + ") have " + dim)
                    .asRuntimeException();
        }
        GalleryIndex idx = indexes.computeIfAbsent(distance, d -> indexFactory.build(vectors, ids.size(), dim, d));
        List<Neighbor> found = new ArrayList<>();
        for (GalleryIndex.Hit hit : idx.search(query, k, exclude)) {
            int r = hit.row();
            Neighbor.Builder b = Neighbor.newBuilder().setItemId(ids.get(r)).setDistance(hit.distance())
                    .setRank(found.size());
            if (labels.get(r) != null) {
                b.setLabel(labels.get(r));
            }
            found.add(b.build());
        }
        return found;
    }

    /** Re-embeds every item with the lease's model unless its vectors already come from it. */
    private void bringTo(ModelLease lease) {
        LoadedModel model = lease.model();
        if (model.checkpointId().equals(checkpointId)) {
            return;
        }
        List<Integer> shape = model.embedder().inputShape();
        if (!ids.isEmpty() && !shape.equals(inputShape)) {
            throw Status.FAILED_PRECONDITION.withDescription("gallery '" + name + "' holds inputs of shape " + inputShape
                    + " but checkpoint " + model.checkpointId() + " expects " + shape + "; add with replace=true")
                    .asRuntimeException();
        }
        int size = model.embedder().inputSize();
        float[] rows = new float[ids.size() * size];
        for (int i = 0; i < ids.size(); i++) {
            System.arraycopy(inputs.get(i), 0, rows, i * size, size);
        }
        vectors = lease.embed(rows, ids.size());
        dropIndexes();
        dim = model.embedder().embeddingSize();
        inputShape = shape;
        checkpointId = model.checkpointId();
    }

    private void dropIndexes() {
        indexes.values().forEach(GalleryIndex::close);
        indexes.clear();
    }
}
