package dev.realitycheck.trainer.training;

import com.google.protobuf.Timestamp;
import dev.realitycheck.model.ModelSpec;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.trainer.TrainerDevice;
import dev.realitycheck.train.images.InputContract;
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
     * @param weightsSha256 the SHA-256 of the trunk's starting weight file; empty for random values
     */
    static CheckpointManifest of(RunSpec run, LossConfig resolvedLoss, long iteration, ModelSpec model,
                                 String fingerprint, String weightsSha256) {
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
                .setPretrainedWeightsSha256(weightsSha256)
                .setInput(InputContract.toProto(model.input(), InputContract.isImageDataset(run.getDataset().getFormat())))
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
}
