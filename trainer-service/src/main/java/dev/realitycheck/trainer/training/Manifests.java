package dev.realitycheck.trainer.training;

import com.google.protobuf.Timestamp;
import dev.realitycheck.model.ModelSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.InputSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.trainer.TrainerDevice;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.transport.CheckpointIds;
import java.time.Instant;

/** Builds the {@link CheckpointManifest} of a run's checkpoint (size, digest and chunks are the publisher's). */
final class Manifests {

    /** Format of the packed model, as the transport documents it. */
    static final String FORMAT = "savedmodel+zip";

    private Manifests() {
    }

    /**
     * @param run          the run
     * @param resolvedLoss the run's loss config with every hyperparameter resolved ({@link RunRecipe#resolvedLoss})
     * @param iteration    the checkpoint's iteration
     * @param model        the exported model
     * @param fingerprint  the image dataset's content fingerprint; empty for IDX datasets
     */
    static CheckpointManifest of(RunSpec run, LossConfig resolvedLoss, long iteration, ModelSpec model,
                                 String fingerprint) {
        Instant now = Instant.now();
        CheckpointManifest.Builder b = CheckpointManifest.newBuilder()
                .setCheckpointId(CheckpointIds.of(run.getRunId(), iteration))
                .setRunId(run.getRunId())
                .setExperimentId(run.getExperimentId())
                .setLossName(RunPlanner.label(run.getLoss()))
                .setFold(run.getFold())
                .setFoldCount(run.getFoldCount())
                .setSeed(run.getSeed())
                .setIteration(iteration)
                .setDataset(run.getDataset())
                .setDatasetFingerprint(fingerprint)
                .setInput(input(model))
                .setEmbeddingSize(model.embeddingSize())
                .setSignature("embed")
                .setFormat(FORMAT)
                .putFrameworkVersions("tensorflow", org.tensorflow.TensorFlow.version())
                .putFrameworkVersions("tensorflow-java", TrainerDevice.TENSORFLOW_JAVA)
                .putFrameworkVersions("java", Runtime.version().toString())
                .setCreatedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setLoss(resolvedLoss)
                .setInitialization(RunRecipe.initialization(run.getSettings()).settingName());
        if (run.hasTrial()) {
            b.setTrial(run.getTrial());
        }
        return b.build();
    }

    /**
     * The model's input: raw pixel values (0-255) of {@code [H, W, C]} images, or a raw vector.
     * The preprocessing recorded here ({@code scale}, {@code mean}, {@code std}) is applied inside
     * the graph: clients feed raw values.
     */
    private static InputSpec input(ModelSpec model) {
        InputSpec.Builder b = InputSpec.newBuilder();
        model.input().shape().forEach(d -> b.addShape(d));
        Preprocessing p = model.input().preprocessing();
        if (model.input().isImage()) {
            b.setColorMode(model.input().channels() == 3 ? "rgb" : "grayscale");
        }
        b.setScale(p.scale());
        p.mean().forEach(m -> b.addMean(m));
        p.std().forEach(s -> b.addStd(s));
        return b.build();
    }
}
