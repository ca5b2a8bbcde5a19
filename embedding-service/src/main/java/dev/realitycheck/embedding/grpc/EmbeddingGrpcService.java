package dev.realitycheck.embedding.grpc;

import dev.realitycheck.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.google.protobuf.Timestamp;
import dev.realitycheck.embedding.EmbeddingConfig;
import dev.realitycheck.embedding.batching.MicroBatcher;
import dev.realitycheck.embedding.batching.RequestInputs;
import dev.realitycheck.embedding.batching.Vectors;
import dev.realitycheck.embedding.gallery.DatasetSplitSource;
import dev.realitycheck.embedding.gallery.Galleries;
import dev.realitycheck.embedding.gallery.Gallery;
import dev.realitycheck.embedding.serving.LoadedModel;
import dev.realitycheck.embedding.serving.ModelLease;
import dev.realitycheck.embedding.serving.ModelRegistry;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.AddToGalleryResponse;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.Embedding;
import dev.realitycheck.proto.v1.EmbeddingService;
import dev.realitycheck.proto.v1.GalleryItem;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.proto.v1.GetModelResponse;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.Neighbor;
import dev.realitycheck.proto.v1.SearchRequest;
import dev.realitycheck.proto.v1.SearchResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The gRPC face of the embedding-service ({@code realitycheck.v1.EmbeddingService}).
 *
 * <p>Embed and EmbedStream lease the requested (or served) model from the {@link ModelRegistry},
 * validate the items against its input shape and run them through the {@link MicroBatcher} (or
 * directly on a worker thread when micro-batching is off); every response names the checkpoint that
 * produced it. Errors are explicit statuses (never UNKNOWN): INVALID_ARGUMENT naming the item,
 * FAILED_PRECONDITION before any model, NOT_FOUND for a checkpoint that is not loaded or an unknown
 * gallery, RESOURCE_EXHAUSTED when the queue is full or a request has more items than allowed
 * ({@link GrpcMessageLimit} sizes the largest message to match). A model output that is not a finite
 * unit vector is INVALID_ARGUMENT naming the item ({@link ModelLease#checkOutputs}), never a zero vector. EmbedStream answers each message in order; a bad
 * message ends the stream with its status.
 */
@GrpcService
public class EmbeddingGrpcService implements EmbeddingService {

    private static final Logger LOG = Logger.getLogger(EmbeddingGrpcService.class);

    @Inject
    ModelRegistry registry;

    @Inject
    MicroBatcher batcher;

    @Inject
    Galleries galleries;

    @Inject
    DatasetSplitSource datasets;

    @Inject
    EmbeddingConfig config;

    @Inject
    MeterRegistry meters;

    /** Request latency timers by RPC, then outcome ({@link #timer}). */
    private final Map<String, Map<String, Timer>> timers = new ConcurrentHashMap<>();

    @Override
    @RolesAllowed(Roles.READER)
    public Uni<EmbedResponse> embed(EmbedRequest request) {
        return timed("Embed", offload(request, Context.current()));
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Multi<EmbedResponse> embedStream(Multi<EmbedRequest> requests) {
        Context context = Context.current();
        return requests.onItem().transformToUniAndConcatenate(r -> timed("EmbedStream", offload(r, context)));
    }

    /**
     * Tensor inputs are validated and copied on the event loop that received the request, then go to
     * the micro-batcher's thread (or, with micro-batching off, to a worker thread for the TensorFlow
     * call); requests with images, and every request under {@code decode-on-worker=true}, are handled
     * on a worker thread from the start.
     */
    private Uni<EmbedResponse> offload(EmbedRequest request, Context context) {
        if (!hasImages(request) && !config.decodeOnWorker()) {
            return guard(() -> embedOne(request, context, false));
        }
        return Uni.createFrom().deferred(() -> guard(() -> embedOne(request, context, true)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Whether any item is an encoded image (a plain loop: this runs on the event loop for every call). */
    private static boolean hasImages(EmbedRequest request) {
        for (int i = 0; i < request.getItemsCount(); i++) {
            if (request.getItems(i).getInputCase() == Item.InputCase.IMAGE) {
                return true;
            }
        }
        return false;
    }

    private Uni<EmbedResponse> embedOne(EmbedRequest request, Context context, boolean onWorker) {
        ItemInputs.checkCount(request.getItemsCount(), config.maxRequestItems(), "items");
        boolean packed = switch (request.getVectorEncoding()) {
            case VECTOR_ENCODING_UNSPECIFIED, VECTOR_ENCODING_FLOATS -> false;
            case VECTOR_ENCODING_FLOAT32_LE -> true;
            default -> throw ItemInputs.invalid("vector_encoding " + request.getVectorEncodingValue() + " is not known");
        };
        ModelLease lease = registry.lease(request.getCheckpointId());
        try {
            RequestInputs inputs = ItemInputs.rows(request.getItemsList(), "items", lease.model().embedder().inputShape(),
                    lease.model().manifest().getInput());
            int n = request.getItemsCount();
            CompletableFuture<Vectors> vectors;
            if (config.microBatching()) {
                vectors = batcher.submit(lease.model(), lease::embed, inputs, n, context);
            } else if (onWorker) {
                vectors = CompletableFuture.completedFuture(lease.embed(inputs, n));
            } else {
                vectors = CompletableFuture.supplyAsync(() -> lease.embed(inputs, n),
                        Infrastructure.getDefaultWorkerPool());
            }
            vectors.whenComplete((v, e) -> lease.close());
            // the response is built on the thread that completes the vectors, without one more Uni stage
            return Uni.createFrom().completionStage(vectors.thenApply(v -> response(request, lease.model(), v, packed)));
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private static EmbedResponse response(EmbedRequest request, LoadedModel model, Vectors vectors, boolean packed) {
        int n = request.getItemsCount();
        ModelLease.checkOutputs(vectors, "items");
        int width = vectors.width();
        EmbedResponse.Builder b = EmbedResponse.newBuilder().setCheckpointId(model.checkpointId())
                .setRequestId(request.getRequestId());
        for (int i = 0; i < n; i++) {
            Embedding.Builder e = Embedding.newBuilder().setItemId(itemId(request.getItems(i), i));
            if (packed) {
                // a view of the batch's packed output, which was filled once: no copy per request or item
                e.setFloat32Le(vectors.row(i));
            } else {
                for (int j = 0; j < width; j++) {
                    e.addValues(vectors.value(i * width + j));
                }
            }
            b.addEmbeddings(e);
        }
        return b.build();
    }

    /** "0", "1", ...: the ids of items sent without one, built once instead of 64 strings per batch of 64. */
    private static final String[] POSITIONS = java.util.stream.IntStream.range(0, 1024)
            .mapToObj(Integer::toString).toArray(String[]::new);

    private static String itemId(Item item, int position) {
        if (!item.getId().isEmpty()) {
            return item.getId();
        }
        return position < POSITIONS.length ? POSITIONS[position] : Integer.toString(position);
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.READER)
    public Uni<SearchResponse> search(SearchRequest request) {
        return timed("Search", guard(() -> {
            if (request.getK() < 1) {
                throw ItemInputs.invalid("k is " + request.getK() + ": it must be >= 1");
            }
            KnnDistance distance = switch (request.getDistance()) {
                case DISTANCE_UNSPECIFIED, DISTANCE_COSINE -> KnnDistance.COSINE;
                case DISTANCE_EUCLIDEAN -> KnnDistance.EUCLIDEAN;
                default -> throw ItemInputs.invalid("distance " + request.getDistanceValue() + " is not known");
            };
            Gallery gallery = galleries.existing(request.getGallery());
            try (ModelLease lease = registry.lease(request.getCheckpointId())) {
                float[] query = null;
                String itemId = null;
                switch (request.getQueryCase()) {
                    case VECTOR -> {
                        List<Float> values = request.getVector().getValuesList();
                        query = new float[values.size()];
                        for (int i = 0; i < query.length; i++) {
                            query[i] = values.get(i);
                            if (!Float.isFinite(query[i])) {
                                throw ItemInputs.invalid("vector.values[" + i + "] is " + query[i] + ": values must be finite");
                            }
                        }
                    }
                    case ITEM -> {
                        query = lease.embed(ItemInputs.toInputs(List.of(request.getItem()), "item",
                                lease.model().embedder().inputShape(), lease.model().manifest().getInput()), 1);
                        ModelLease.checkOutputs(query, 1, "item");
                    }
                    case GALLERY_ITEM_ID -> itemId = request.getGalleryItemId();
                    default -> throw ItemInputs.invalid("query is not set: give vector, item or gallery_item_id");
                }
                List<Neighbor> neighbors = gallery.search(lease, query, itemId, request.getK(), distance);
                return Uni.createFrom().item(SearchResponse.newBuilder().setCheckpointId(lease.model().checkpointId())
                        .setGallery(gallery.name()).addAllNeighbors(neighbors).setGallerySize(gallery.size()).build());
            }
        }));
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.OPERATOR)
    public Uni<AddToGalleryResponse> addToGallery(AddToGalleryRequest request) {
        return timed("AddToGallery", guard(() -> {
            if (request.getSourceCase() == AddToGalleryRequest.SourceCase.DATASET_SPLIT) {
                return addDatasetSplit(request);
            }
            if (request.getSourceCase() != AddToGalleryRequest.SourceCase.ITEMS) {
                throw ItemInputs.invalid("source is not set: give items or dataset_split");
            }
            List<GalleryItem> items = request.getItems().getItemsList();
            ItemInputs.checkCount(items.size(), config.maxRequestItems(), "items.items");
            try (ModelLease lease = registry.lease(request.getCheckpointId())) {
                List<Item> plain = new ArrayList<>(items.size());
                List<String> ids = new ArrayList<>(items.size());
                List<Long> labels = new ArrayList<>(items.size());
                for (GalleryItem g : items) {
                    plain.add(g.getItem());
                    ids.add(g.getItem().getId());
                    labels.add(g.hasLabel() ? g.getLabel() : null);
                }
                float[] rows = ItemInputs.toInputs(plain, "items.items", lease.model().embedder().inputShape(),
                    lease.model().manifest().getInput());
                Gallery gallery = galleries.getOrCreate(request.getGallery());
                int size = galleries.addWithinReplicaLimit(gallery, request.getReplace(), ids.size(),
                        config.maxReplicaGalleryItems(), () -> gallery.add(lease, rows, ids, labels, config.maxGalleryItems()));
                return Uni.createFrom().item(AddToGalleryResponse.newBuilder()
                        .setCheckpointId(lease.model().checkpointId()).setGallery(gallery.name())
                        .setAddedCount(items.size()).setGallerySize(size).build());
            }
        }));
    }

    /** Adds every image of a dataset split, embedded with the lease's model. */
    private Uni<AddToGalleryResponse> addDatasetSplit(AddToGalleryRequest request) {
        try (ModelLease lease = registry.lease(request.getCheckpointId())) {
            DatasetSplitSource.Items items = datasets.items(request.getDatasetSplit(),
                    lease.model().embedder().inputShape(), config.maxGalleryItems());
            Gallery gallery = galleries.getOrCreate(request.getGallery());
            int size = galleries.addWithinReplicaLimit(gallery, request.getReplace(), items.ids().size(),
                    config.maxReplicaGalleryItems(),
                    () -> gallery.add(lease, items.inputs(), items.ids(), items.labels(), config.maxGalleryItems()));
            return Uni.createFrom().item(AddToGalleryResponse.newBuilder()
                    .setCheckpointId(lease.model().checkpointId()).setGallery(gallery.name())
                    .setAddedCount(items.ids().size()).setGallerySize(size).build());
        }
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Uni<GetModelResponse> getModel(GetModelRequest request) {
        return timed("GetModel", guard(() -> {
            try (ModelLease lease = registry.lease(request.getCheckpointId())) {
                LoadedModel m = lease.model();
                GetModelResponse.Builder b = GetModelResponse.newBuilder().setCheckpointId(m.checkpointId())
                        .setPolicy(registry.policy().toProto()).setManifest(m.manifest())
                        .setLoadedAt(Timestamp.newBuilder().setSeconds(m.loadedAt().getEpochSecond())
                                .setNanos(m.loadedAt().getNano()));
                registry.latestValidation(m.checkpointId()).ifPresent(b::setLatestEvaluation);
                return Uni.createFrom().item(b.build());
            }
        }));
    }

    /** Runs {@code body}, turning what it throws into a failed Uni with an explicit status. */
    private static <T> Uni<T> guard(Supplier<Uni<T>> body) {
        try {
            return body.get().onFailure().transform(EmbeddingGrpcService::explicit);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(explicit(e));
        }
    }

    private static Throwable explicit(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof StatusRuntimeException) {
            return t;
        }
        LOG.errorf(t, "internal error");
        return Status.INTERNAL.withDescription("internal error: " + t).withCause(t).asRuntimeException();
    }

    private <T> Uni<T> timed(String rpc, Uni<T> call) {
        long start = System.nanoTime();
        return call.onTermination().invoke((item, failure, cancelled) -> timer(rpc, failure == null ? "ok"
                : failure instanceof StatusRuntimeException s ? s.getStatus().getCode().name() : "INTERNAL")
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    /**
     * The latency timer of one RPC and outcome, registered on first use and then taken from {@link #timers}:
     * building and registering it per call (a builder, tags, an id and a registry lookup each time) cost
     * more than the call's own bookkeeping.
     */
    private Timer timer(String rpc, String outcome) {
        Map<String, Timer> byOutcome = timers.get(rpc);
        if (byOutcome == null) {
            byOutcome = timers.computeIfAbsent(rpc, r -> new ConcurrentHashMap<>());
        }
        Timer timer = byOutcome.get(outcome);
        if (timer == null) {
            timer = byOutcome.computeIfAbsent(outcome, o -> Timer.builder("realitycheck.embedding.request.latency")
                    .description("request latency by RPC").tag("rpc", rpc).tag("outcome", o)
                    .publishPercentiles(0.5, 0.99).register(meters));
        }
        return timer;
    }
}
