package dev.realitycheck.trainer;

import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.train.Checkpoint;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.train.TrainingListener;
import dev.realitycheck.train.TrainingProgress;
import dev.realitycheck.train.TrainingRun;
import dev.realitycheck.transport.CheckpointPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Trains one run: builds its {@link RunRecipe}, starts it, or resumes it from the latest complete
 * checkpoint in {@code <work dir>/<run id>} (a run this pod already began before it died or was
 * rebalanced), and publishes every checkpoint on {@code realitycheck.checkpoints}. Stops at the
 * next iteration when the run is cancelled or the trainer shuts down.
 *
 * <p>Without storage shared by the pods, a run redelivered to a different pod finds no checkpoint
 * there and restarts from iteration 0 (same seed, so the same trajectory; its checkpoints get the
 * same ids again). Resuming on another pod would need the training state (variables and optimizer
 * slots, {@code state.bin}) to travel too; the checkpoints on Kafka hold only the inference model.
 */
public final class RunTrainer {

    /** How a run ended. */
    public enum Outcome {
        /** Every iteration done, every checkpoint published. */
        SUCCEEDED,
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

    private final DatasetCatalog datasets;
    private final Path workDir;
    private final SessionThreads threads;
    private final CheckpointPublisher publisher;
    private final RunStore store;
    private final RunMetrics metrics;

    /**
     * @param datasets  where datasets are found
     * @param workDir   parent of the runs' checkpoint directories
     * @param threads   TensorFlow session threads
     * @param publisher publishes checkpoints
     * @param store     gets progress and checkpoint ids
     * @param metrics   gets progress
     */
    public RunTrainer(DatasetCatalog datasets, Path workDir, SessionThreads threads, CheckpointPublisher publisher,
                      RunStore store, RunMetrics metrics) {
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
        Path dir = workDir.resolve(run.getRunId());
        RunRecipe recipe = RunRecipe.of(run, datasets.load(run.getDataset()), "loss", dir, threads);
        Optional<Checkpoint> latest = TrainingRun.latestCheckpoint(dir);
        store.started(run);
        try (TrainingRun training = latest.isPresent()
                ? TrainingRun.resume(recipe.config(), recipe.images(), latest.get().state())
                : TrainingRun.start(recipe.config(), recipe.images())) {
            LOG.infof("run %s %s at iteration %d of %d on %d images of classes %s", run.getRunId(),
                    latest.isPresent() ? "resumes" : "starts", training.iteration(), recipe.config().iterations(),
                    recipe.images().count(), java.util.Arrays.toString(recipe.classes()));
            TrainingListener listener = listener(run, recipe, dir);
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
            }
            return Outcome.SUCCEEDED;
        }
    }

    private TrainingListener listener(RunSpec run, RunRecipe recipe, Path dir) {
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                store.progress(run.getRunId(), p.iteration(), p.loss(), p.imagesPerSecond());
                metrics.record(run.getRunId(), p.iteration(), p.loss(), p.imagesPerSecond());
            }

            @Override
            public void onCheckpoint(Checkpoint checkpoint) {
                try {
                    publish(run, recipe, dir, checkpoint);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private void publish(RunSpec run, RunRecipe recipe, Path dir, Checkpoint checkpoint) throws IOException {
        Path archive = dir.resolve("iteration-" + checkpoint.iteration() + ".zip");
        try {
            SavedModelArchive.pack(checkpoint.model(), archive);
            CheckpointManifest manifest;
            try {
                manifest = publisher.publish(
                        Manifests.of(run, checkpoint.iteration(), recipe.config().architecture().spec()), archive);
            } catch (IOException | RuntimeException e) {
                throw new PublishException(checkpoint.iteration(), e);
            }
            store.checkpoint(run.getRunId(), manifest.getCheckpointId());
            LOG.infof("run %s published checkpoint %s (%d bytes)", run.getRunId(), manifest.getCheckpointId(),
                    manifest.getSizeBytes());
        } finally {
            Files.deleteIfExists(archive);
        }
    }
}
