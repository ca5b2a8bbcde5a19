package dev.realitycheck.trainer.training;

import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.GreyImages;
import dev.realitycheck.model.PretrainedWeights;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.Weights;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.ValidationPoint;
import dev.realitycheck.data.split.HeldOutImages;
import dev.realitycheck.train.images.ImageEmbedder;
import dev.realitycheck.train.images.TensorFlowImageDecoder;
import dev.realitycheck.train.Checkpoint;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.train.TrainingListener;
import dev.realitycheck.train.TrainingProgress;
import dev.realitycheck.model.SavedModelFeatures;
import dev.realitycheck.train.TrainingRun;
import dev.realitycheck.trainer.runs.RunStore;
import dev.realitycheck.transport.CheckpointIds;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Trains one run: builds its {@link RunRecipe} from the run's {@link FoldImages} (its fold's
 * training and validation classes; the test classes never reach the trainer), starts it, or
 * resumes it from the latest complete checkpoint in {@code <work dir>/<run id>} (a run this pod
 * already began before it died or was rebalanced), and publishes every checkpoint on
 * {@code realitycheck.checkpoints}.
 *
 * <p>Validation: at every {@link RunRecipe#validatesAt validation iteration} the run publishes a
 * checkpoint (the scheduled one, or one written for the validation), embeds every image of the
 * fold's validation classes with that checkpoint's SavedModel and scores them query = reference,
 * cosine, exact kNN ({@link HeldOutImages}, the evaluation-service's held-out scoring). The
 * {@link ValidationHistory} of those points alone picks the run's best checkpoint and stops it
 * once {@code patience} validations in a row brought no new best. The points are kept in
 * {@code <work dir>/<run id>/validations.pb} so a resumed run continues its history.
 *
 * <p>Stops at the next iteration when the run is cancelled or the trainer shuts down. Every
 * published checkpoint carries the training state ({@link PublishedCheckpoints#TRAINING_STATE}), so
 * a run redelivered to a pod without its work dir resumes from its latest published checkpoint
 * (fetched by {@link PublishedCheckpoints}), with the validations its run events carry, and
 * continues with the same loss trajectory; without a {@link PublishedCheckpoints} it starts over
 * (same seed, same trajectory, same checkpoint ids).
 */
public final class RunTrainer {

    /** How a run ended. */
    public enum Outcome {
        /** Every iteration done, every checkpoint published. */
        SUCCEEDED,
        /** Stopped by patience before its iteration budget; its best checkpoint is published. */
        STOPPED_EARLY,
        /** Stopped because it was cancelled. */
        CANCELLED,
        /** Stopped because the trainer shuts down: not done, must be redelivered. */
        INTERRUPTED
    }

    /** A checkpoint could not be published (broker trouble): the run is not done and not failed. */
    public static final class PublishException extends IOException {
        PublishException(long iteration, Exception cause) {
            super("checkpoint of iteration " + iteration + " not published: " + cause, cause);
        }
    }

    private static final Logger LOG = Logger.getLogger(RunTrainer.class);

    /** The file of a run's validations, in its checkpoint directory. */
    static final String VALIDATIONS_FILE = "validations.pb";

    private final RunDatasets datasets;
    private final Path workDir;
    private final SessionThreads threads;
    private final CheckpointPublisher publisher;
    private final RunStore store;
    private final RunMetrics metrics;
    private final PublishedCheckpoints published;

    /** A trainer that resumes only from its own work dir. */
    public RunTrainer(RunDatasets datasets, Path workDir, SessionThreads threads, CheckpointPublisher publisher,
                      RunStore store, RunMetrics metrics) {
        this(datasets, workDir, threads, publisher, store, metrics, null);
    }

    /**
     * @param datasets  where datasets are found
     * @param workDir   parent of the runs' checkpoint directories
     * @param threads   TensorFlow session threads
     * @param publisher publishes checkpoints
     * @param store     gets progress, validations and checkpoint ids
     * @param metrics   gets progress
     * @param published where a run without a local checkpoint finds its latest published one (with
     *                  its training state); null: such a run starts over
     */
    public RunTrainer(RunDatasets datasets, Path workDir, SessionThreads threads, CheckpointPublisher publisher,
                      RunStore store, RunMetrics metrics, PublishedCheckpoints published) {
        this.published = published;
        this.datasets = datasets;
        this.workDir = workDir;
        this.threads = threads;
        this.publisher = publisher;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * @param run      the run
     * @param stopping true once the trainer shuts down
     * @return how it ended
     * @throws IOException if the dataset cannot be read or a checkpoint cannot be written or published
     * @throws IllegalArgumentException if the run's settings cannot train
     */
    public Outcome train(RunSpec run, BooleanSupplier stopping) throws IOException {
        if (!RunDatasets.isImage(run.getDataset())) {
            return train(run, stopping, datasets.fold(run));
        }
        // an image dataset's files (when it has no decoded cache) are decoded by TensorFlow: faster here than ImageIO
        try (TensorFlowImageDecoder decoder = new TensorFlowImageDecoder()) {
            return train(run, stopping, datasets.fold(run, decoder));
        }
    }

    private Outcome train(RunSpec run, BooleanSupplier stopping, RunFold fold) throws IOException {
        Path dir = workDir.resolve(run.getRunId());
        RunRecipe recipe = RunRecipe.of(run, fold, "loss", dir, threads);
        // the manifests name the starting weights by content (also when resumed, so every checkpoint does)
        String weightsSha256 = recipe.pretrainedWeights() == null ? ""
                : CheckpointPublisher.sha256(recipe.pretrainedWeights());
        Optional<Checkpoint> latest = TrainingRun.latestCheckpoint(dir);
        List<ValidationPoint> earlier = readValidations(dir);
        if (latest.isEmpty() && published != null) {
            // begun on another pod: its last published checkpoint carries the training state, the
            // run events (followed by this pod's store) its validations
            latest = published.latest(run.getRunId(), dir);
            earlier = store.event(run.getRunId()).map(RunEvent::getValidationsList).orElse(List.of());
        }
        long resumeAt = latest.map(Checkpoint::iteration).orElse(0L);
        ValidationHistory history = ValidationHistory.of(recipe.patience(), ValidationHistory.upTo(earlier, resumeAt));
        if (latest.isPresent()) {
            Files.createDirectories(dir);
            writeValidations(dir, history.points());
        }
        store.started(run);
        if (!history.points().isEmpty()) {
            store.validated(run.getRunId(), history.points().getLast().getIteration(), history.points(),
                    history.best().orElse(null));
        }
        try (SavedModelFeatures features = recipe.featureTrunk() == null ? null
                     : SavedModelFeatures.load(recipe.featureTrunk());
             TrainingRun training = latest.isPresent()
                     ? TrainingRun.resume(recipe.config(), recipe.images(), latest.get().state(), features)
                     : TrainingRun.start(recipe.config(), recipe.images(), initialWeights(recipe), features)) {
            LOG.infof("run %s %s at iteration %d of %d on %d images of classes %s, validating on %d images of "
                            + "classes %s", run.getRunId(), latest.isPresent() ? "resumes" : "starts",
                    training.iteration(), recipe.config().iterations(), recipe.images().count(),
                    Arrays.toString(recipe.classes()), recipe.fold().validationCount(),
                    Arrays.toString(recipe.fold().validationClasses()));
            Published[] lastPublished = new Published[1];
            TrainingListener listener = listener(run, recipe, dir, lastPublished, weightsSha256);
            if (latest.isPresent() && recipe.validatesAt(training.iteration()) && history.points().stream()
                    .noneMatch(p -> p.getIteration() == training.iteration())) {
                // the pod stopped between the checkpoint and its validation (the checkpoint was published first)
                Checkpoint c = latest.get();
                if (validate(run, recipe, dir, history, c, CheckpointIds.of(run.getRunId(), c.iteration()))) {
                    return Outcome.STOPPED_EARLY;
                }
            }
            while (training.iteration() < recipe.config().iterations()) {
                if (store.cancelRequested(run.getRunId())) {
                    return Outcome.CANCELLED;
                }
                if (stopping.getAsBoolean()) {
                    return Outcome.INTERRUPTED;
                }
                try {
                    training.runUntil(training.iteration() + 1, listener);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                long it = training.iteration();
                if (recipe.validatesAt(it)) {
                    Published p = lastPublished[0];
                    if (p == null || p.checkpoint().iteration() != it) {
                        Checkpoint c = training.checkpoint();
                        p = new Published(c, publish(run, recipe, dir, c, weightsSha256));
                    }
                    if (validate(run, recipe, dir, history, p.checkpoint(), p.checkpointId())
                            && it < recipe.config().iterations()) {
                        LOG.infof("run %s stops early at iteration %d: %d validations without a new best (best %s)",
                                run.getRunId(), it, recipe.patience(), history.best().map(b -> b.getCheckpointId())
                                        .orElse("none"));
                        return Outcome.STOPPED_EARLY;
                    }
                }
            }
            return Outcome.SUCCEEDED;
        }
    }

    /** A checkpoint and the id it was published under. */
    private record Published(Checkpoint checkpoint, String checkpointId) {
    }

    /**
     * Scores the checkpoint on the fold's validation classes, records the point and reports it.
     *
     * @return true when patience is exhausted
     */
    private boolean validate(RunSpec run, RunRecipe recipe, Path dir, ValidationHistory history, Checkpoint checkpoint,
                             String checkpointId) throws IOException {
        long started = System.nanoTime();
        double map = mapAtR(checkpoint.model(), recipe);
        ValidationPoint.Builder point = ValidationPoint.newBuilder().setIteration(checkpoint.iteration())
                .setCheckpointId(checkpointId);
        if (!Double.isNaN(map)) {
            point.setMapAtR(map);
        }
        boolean best = history.add(point.build());
        writeValidations(dir, history.points());
        store.validated(run.getRunId(), checkpoint.iteration(), history.points(), history.best().orElse(null));
        LOG.infof("run %s validation at iteration %d: MAP@R %.4f%s (%d ms)", run.getRunId(), checkpoint.iteration(), map,
                best ? ", new best" : "", (System.nanoTime() - started) / 1_000_000);
        return history.patienceExhausted();
    }

    /** A fresh run's network: the spec's weight file when it names one (read strictly), else null (random values). */
    private static Weights initialWeights(RunRecipe recipe) throws IOException {
        if (recipe.pretrainedWeights() == null) {
            return null;
        }
        return PretrainedWeights.load(recipe.config().architecture(), recipe.pretrainedWeights(),
                TrainingRun.initialSeed(recipe.config()), recipe.config().initialization());
    }

    /**
     * MAP@R of the fold's validation images under the checkpoint's exported model (the evaluator's
     * semantics); an image dataset's images through the evaluation transform, batch by batch.
     */
    private double mapAtR(Path model, RunRecipe recipe) throws IOException {
        int knnThreads = Math.max(1, threads.intraOp());
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(model)) {
            if (recipe.fold() instanceof RunFold.Images images) {
                ImageEmbedder.Embedded e = ImageEmbedder.embed(images.images().validation(),
                        recipe.model().input(), embedder.embeddingSize(),
                        recipe.config().batchSize(), images.workers(), embedder::embed);
                return HeldOutImages.mapAtR(e.embeddings(), e.labels(), knnThreads);
            }
            HeldOutImages validation = ((RunFold.Pixels) recipe.fold()).images().validation();
            // a colour trunk sees the grey images as the trainer fed them: each value once per channel
            int channels = embedder.inputShape().size() == 3 ? embedder.inputShape().get(2) : 1;
            return validation.mapAtR((pixels, count, size) -> new Embeddings(
                    embedder.embed(GreyImages.toChannels(pixels, channels), count), count,
                    embedder.embeddingSize()), knnThreads);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("validation with " + model + " failed: " + e, e);
        }
    }

    static List<ValidationPoint> readValidations(Path dir) {
        Path file = dir.resolve(VALIDATIONS_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return RunEvent.parseFrom(Files.readAllBytes(file)).getValidationsList();
        } catch (IOException e) {
            LOG.warnf("ignoring unreadable %s: %s", file, e.toString());
            return List.of();
        }
    }

    private static void writeValidations(Path dir, List<ValidationPoint> points) throws IOException {
        Path tmp = dir.resolve(VALIDATIONS_FILE + ".tmp");
        Files.write(tmp, RunEvent.newBuilder().addAllValidations(points).build().toByteArray());
        Files.move(tmp, dir.resolve(VALIDATIONS_FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private TrainingListener listener(RunSpec run, RunRecipe recipe, Path dir, Published[] lastPublished,
                                      String weightsSha256) {
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                store.progress(run.getRunId(), p.iteration(), p.loss(), p.imagesPerSecond());
                metrics.record(run.getRunId(), p.iteration(), p.loss(), p.imagesPerSecond());
            }

            @Override
            public void onCheckpoint(Checkpoint checkpoint) {
                try {
                    lastPublished[0] = new Published(checkpoint, publish(run, recipe, dir, checkpoint, weightsSha256));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * Publishes the checkpoint twice: the inference SavedModel alone on {@link Topics#CHECKPOINTS}
     * (what evaluation and embedding replicas download), and the SavedModel with the training state
     * ({@link PublishedCheckpoints#TRAINING_STATE}) on {@link Topics#TRAINING_STATES}, so another pod
     * can resume the run. The training state goes first: a checkpoint whose result is visible can
     * always be resumed from. Both manifests carry {@code weightsSha256}, the trunk's starting weight file's digest.
     */
    private String publish(RunSpec run, RunRecipe recipe, Path dir, Checkpoint checkpoint, String weightsSha256)
            throws IOException {
        Path serving = dir.resolve("iteration-" + checkpoint.iteration() + ".zip");
        Path resumable = dir.resolve("iteration-" + checkpoint.iteration() + ".state.zip");
        Path stateEntry = checkpoint.model().resolve(PublishedCheckpoints.TRAINING_STATE);
        try {
            SavedModelArchive.pack(checkpoint.model(), serving);
            Files.copy(checkpoint.state(), stateEntry, StandardCopyOption.REPLACE_EXISTING);
            SavedModelArchive.pack(checkpoint.model(), resumable);
            CheckpointManifest manifest;
            try {
                CheckpointManifest unpublished = Manifests.of(run, recipe.resolvedLoss(), checkpoint.iteration(),
                        recipe.model(), recipe.fold().fingerprint(), weightsSha256);
                publisher.onTopic(Topics.TRAINING_STATES).publish(unpublished, resumable);
                manifest = publisher.publish(unpublished, serving);
            } catch (IOException | RuntimeException e) {
                throw new PublishException(checkpoint.iteration(), e);
            }
            store.checkpoint(run.getRunId(), manifest.getCheckpointId());
            LOG.infof("run %s published checkpoint %s (%d bytes; %d with the training state)", run.getRunId(),
                    manifest.getCheckpointId(), manifest.getSizeBytes(), Files.size(resumable));
            return manifest.getCheckpointId();
        } finally {
            Files.deleteIfExists(stateEntry);
            Files.deleteIfExists(serving);
            Files.deleteIfExists(resumable);
        }
    }
}
