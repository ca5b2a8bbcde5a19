package dev.realitycheck.embedding.serving;

import dev.realitycheck.embedding.Policy;
import dev.realitycheck.model.ArchiveLimits;
import dev.realitycheck.model.InvalidModelException;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.UnpackedModel;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import io.grpc.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The loaded checkpoints and the one served by policy.
 *
 * <p>Checkpoints arrive from {@link ModelFollower} ({@link #load}), validation results from the
 * evaluations topic ({@link #onEvaluation}); after each, the served model is chosen again and swapped
 * atomically (an {@link AtomicReference}); requests hold a {@link ModelLease} so a swapped-out or
 * evicted model closes only when its last request finishes. At most {@code maxModels} stay loaded:
 * the least recently served goes first (under BEST, evaluated losers before checkpoints still
 * waiting for their validation result), never the served or the pinned one. A checkpoint id is
 * loaded once (a replay after a follower restart, or a duplicate, is skipped).
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Policy policy;
    private final String pinned;
    private final int maxModels;
    private final int modelBatchSize;
    private final long modelBatchInputBytes;
    private final MeterRegistry meters;
    private final ArchiveLimits archiveLimits;
    private final Map<String, LoadedModel> models = new ConcurrentHashMap<>();
    private final Map<String, EvaluationResult> validation = new ConcurrentHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final AtomicReference<LoadedModel> served = new AtomicReference<>();
    private long arrivals;

    /**
     * @param policy         how the served checkpoint is chosen
     * @param pinned         the pinned checkpoint id (policy PINNED), else null
     * @param maxModels      most models kept loaded, >= 1
     * @param modelBatchSize items per TensorFlow call
     * @param meters         where the served model and the loaded count are reported
     */
    public ModelRegistry(Policy policy, String pinned, int maxModels, int modelBatchSize, MeterRegistry meters) {
        this(policy, pinned, maxModels, modelBatchSize, meters, ArchiveLimits.DEFAULT);
    }

    /**
     * @param policy         how the served checkpoint is chosen
     * @param pinned         the pinned checkpoint id (policy PINNED), else null
     * @param maxModels      most models kept loaded, >= 1
     * @param modelBatchSize items per TensorFlow call
     * @param meters         where the served model and the loaded count are reported
     * @param archiveLimits  bounds on unpacking a checkpoint (next to its packed file, in the work dir)
     */
    public ModelRegistry(Policy policy, String pinned, int maxModels, int modelBatchSize, MeterRegistry meters,
                         ArchiveLimits archiveLimits) {
        this(policy, pinned, maxModels, modelBatchSize, SavedModelEmbedder.DEFAULT_BATCH_INPUT_BYTES, meters,
                archiveLimits);
    }

    /**
     * @param policy               how the served checkpoint is chosen
     * @param pinned               the pinned checkpoint id (policy PINNED), else null
     * @param maxModels            most models kept loaded, >= 1
     * @param modelBatchSize       most items per TensorFlow call
     * @param modelBatchInputBytes most input bytes per TensorFlow call: a model with large inputs embeds
     *                             fewer items per call ({@link SavedModelEmbedder#load(Path, int, long)})
     * @param meters               where the served model and the loaded count are reported
     * @param archiveLimits        bounds on unpacking a checkpoint (next to its packed file, in the work dir)
     */
    public ModelRegistry(Policy policy, String pinned, int maxModels, int modelBatchSize, long modelBatchInputBytes,
                         MeterRegistry meters, ArchiveLimits archiveLimits) {
        if (maxModels < 1) {
            throw new IllegalArgumentException("maxModels must be >= 1, got " + maxModels);
        }
        if (policy == Policy.PINNED && (pinned == null || pinned.isBlank())) {
            throw new IllegalArgumentException("policy pinned needs realitycheck.embedding.pinned-checkpoint");
        }
        this.policy = policy;
        this.pinned = pinned;
        this.maxModels = maxModels;
        this.modelBatchSize = modelBatchSize;
        this.modelBatchInputBytes = modelBatchInputBytes;
        this.meters = meters;
        this.archiveLimits = java.util.Objects.requireNonNull(archiveLimits, "archiveLimits");
        Gauge.builder("realitycheck.embedding.models.loaded", models, Map::size)
                .description("checkpoints loaded in TensorFlow").register(meters);
        Gauge.builder("realitycheck.embedding.model.serving", served, s -> s.get() == null ? 0 : 1)
                .description("1 while a checkpoint is served, 0 while there is no model yet (Embed answers FAILED_PRECONDITION)")
                .register(meters);
    }

    public Policy policy() {
        return policy;
    }

    /** @return true if this checkpoint id was loaded (or evicted) before: loading it again is skipped */
    public synchronized boolean known(String checkpointId) {
        return seen.contains(checkpointId);
    }

    /**
     * Unpacks and loads a verified packed checkpoint and serves it if the policy says so.
     *
     * @return false if the checkpoint id was known already (nothing loaded)
     * @throws IOException           if the archive cannot be unpacked (an {@link InvalidModelException}
     *                               naming the limit if it is over one)
     * @throws InvalidModelException if TensorFlow cannot load it as a checkpoint model
     */
    public boolean load(CheckpointManifest manifest, Path packedModel) throws IOException, InvalidModelException {
        return load(manifest, packedModel, -1);
    }

    /**
     * {@link #load(CheckpointManifest, Path)} of a checkpoint read from the broker.
     *
     * @param brokerTimestamp the broker's append time of its manifest record (ms), which orders
     *                        {@link Policy#LATEST}: never the manifest's own {@code created_at}
     */
    public boolean load(CheckpointManifest manifest, Path packedModel, long brokerTimestamp)
            throws IOException, InvalidModelException {
        if (known(manifest.getCheckpointId())) {
            LOG.infof("checkpoint %s is known already; not loaded again", manifest.getCheckpointId());
            return false;
        }
        UnpackedModel files = SavedModelArchive.unpack(packedModel, archiveLimits);
        SavedModelEmbedder embedder;
        try {
            embedder = SavedModelEmbedder.load(files.directory(), modelBatchSize, modelBatchInputBytes);
        } catch (InvalidModelException | RuntimeException e) {
            files.close();
            throw e;
        }
        if (manifest.getEmbeddingSize() != 0 && manifest.getEmbeddingSize() != embedder.embeddingSize()) {
            String message = "manifest says embedding size " + manifest.getEmbeddingSize() + " but the model gives "
                    + embedder.embeddingSize();
            embedder.close();
            files.close();
            throw new InvalidModelException(files.directory(), message);
        }
        add(manifest, files, embedder, brokerTimestamp);
        return true;
    }

    private synchronized void add(CheckpointManifest manifest, UnpackedModel files, SavedModelEmbedder embedder,
                                  long brokerTimestamp) {
        String id = manifest.getCheckpointId();
        LoadedModel model = new LoadedModel(manifest, files, embedder, ++arrivals, brokerTimestamp);
        seen.add(id);
        models.put(id, model);
        Gauge.builder("realitycheck.embedding.model.served", model, m -> served.get() == m ? 1 : 0)
                .description("1 for the served checkpoint, 0 for the other loaded ones")
                .tag("checkpoint", id).register(meters);
        LOG.infof("loaded checkpoint %s (input %s, embedding size %d, %d items per TensorFlow call)", id,
                embedder.inputShape(), embedder.embeddingSize(), embedder.batchSize());
        reselect();
    }

    /** Records a validation result (test results and error records never decide) and reselects. */
    public synchronized void onEvaluation(EvaluationResult result) {
        if (result.getSplit() != Split.SPLIT_VALIDATION || !result.getError().isEmpty() || result.getBaseline()
                || !result.hasMetrics() || !result.getMetrics().hasMeanAveragePrecisionAtR()
                || result.getCheckpointId().isEmpty()) {
            return;
        }
        validation.put(result.getCheckpointId(), result);
        reselect();
    }

    /** The latest validation result seen for a checkpoint. */
    public Optional<EvaluationResult> latestValidation(String checkpointId) {
        return Optional.ofNullable(validation.get(checkpointId));
    }

    /** The served model right now, or empty before one is servable. */
    public Optional<LoadedModel> served() {
        return Optional.ofNullable(served.get());
    }

    /** @return the ids of the loaded checkpoints */
    public Set<String> loaded() {
        return Set.copyOf(models.keySet());
    }

    /**
     * A lease on the named checkpoint, or on the served one when {@code checkpointId} is empty.
     *
     * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION before any model is servable,
     *                                        NOT_FOUND for a named checkpoint that is not loaded
     */
    public ModelLease lease(String checkpointId) {
        if (checkpointId != null && !checkpointId.isEmpty()) {
            LoadedModel model = models.get(checkpointId);
            ModelLease lease = model == null ? null : model.tryLease();
            if (lease == null) {
                throw Status.NOT_FOUND.withDescription("checkpoint '" + checkpointId + "' is not loaded (loaded: "
                        + String.join(", ", models.keySet().stream().sorted().toList()) + ")").asRuntimeException();
            }
            return lease;
        }
        while (true) {
            LoadedModel model = served.get();
            if (model == null) {
                throw Status.FAILED_PRECONDITION.withDescription(noModelYet()).asRuntimeException();
            }
            ModelLease lease = model.tryLease();
            if (lease != null) {
                return lease;
            }
            // swapped and closed between the read and the lease: read the new one
        }
    }

    private String noModelYet() {
        return switch (policy) {
            case PINNED -> "the pinned checkpoint '" + pinned + "' has not been loaded yet";
            default -> "no checkpoint has been loaded yet (policy " + policy.name().toLowerCase() + ")";
        };
    }

    private void reselect() {
        LoadedModel next = choose();
        LoadedModel previous = served.getAndSet(next);
        if (next != previous && next != null) {
            LOG.infof("serving checkpoint %s (policy %s%s)", next.checkpointId(), policy.name().toLowerCase(),
                    previous == null ? "" : ", was " + previous.checkpointId());
        }
        evict();
    }

    private LoadedModel choose() {
        // the broker's order (its append time of the manifest), never the created_at a producer claims
        Comparator<LoadedModel> newest = Comparator.comparingLong(LoadedModel::brokerTimestamp)
                .thenComparingLong(LoadedModel::arrival);
        return switch (policy) {
            case PINNED -> models.get(pinned);
            case LATEST -> models.values().stream().max(newest).orElse(null);
            case BEST -> {
                Optional<LoadedModel> best = models.values().stream()
                        .filter(m -> validation.containsKey(m.checkpointId()))
                        .max(Comparator.comparingDouble((LoadedModel m) -> mapAtR(m.checkpointId())).thenComparing(newest));
                yield best.orElseGet(() -> models.values().stream().max(newest).orElse(null));
            }
        };
    }

    private double mapAtR(String checkpointId) {
        return validation.get(checkpointId).getMetrics().getMeanAveragePrecisionAtR();
    }

    private void evict() {
        LoadedModel current = served.get();
        while (models.size() > maxModels) {
            Optional<LoadedModel> victim = models.values().stream()
                    .filter(m -> m != current && !m.checkpointId().equals(pinned))
                    .min(evictionOrder());
            if (victim.isEmpty()) {
                return;
            }
            LoadedModel m = victim.get();
            models.remove(m.checkpointId());
            meters.find("realitycheck.embedding.model.served").tag("checkpoint", m.checkpointId()).meters()
                    .forEach(meters::remove);
            LOG.infof("evicting checkpoint %s (least recently served; at most %d models)", m.checkpointId(), maxModels);
            m.retire();
        }
    }

    /**
     * Who goes first: the least recently served; under BEST, first the evaluated checkpoints (lowest
     * validation MAP@R first: they lost to the served one), and only then the not yet evaluated ones,
     * which may still turn out best once their result arrives.
     */
    private Comparator<LoadedModel> evictionOrder() {
        Comparator<LoadedModel> leastRecent = Comparator.comparingLong(LoadedModel::lastServedNanos);
        if (policy != Policy.BEST) {
            return leastRecent;
        }
        return Comparator.comparingInt((LoadedModel m) -> validation.containsKey(m.checkpointId()) ? 0 : 1)
                .thenComparingDouble(m -> validation.containsKey(m.checkpointId()) ? mapAtR(m.checkpointId()) : 0)
                .thenComparing(leastRecent);
    }

    /** Retires every model (each closes once its running requests finish). */
    @Override
    public synchronized void close() {
        served.set(null);
        models.values().forEach(LoadedModel::retire);
        models.clear();
    }
}
