package dev.realitycheck.evaluation.scoring;

import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import java.time.Instant;
import java.util.List;

/** Results that say a checkpoint could not be evaluated, so its run shows the failure instead of silence. */
public final class ErrorResults {

    private ErrorResults() {
    }

    /** The identity fields every result of this checkpoint carries, for one split. */
    static EvaluationResult.Builder base(CheckpointManifest m, Split split) {
        Instant now = Instant.now();
        EvaluationResult.Builder b = EvaluationResult.newBuilder()
                .setEvaluationId(EvaluationIds.of(m.getCheckpointId(), split))
                .setCheckpointId(m.getCheckpointId())
                .setRunId(m.getRunId())
                .setExperimentId(m.getExperimentId())
                .setLossName(m.getLossName())
                .setFold(m.getFold())
                .setSeed(m.getSeed())
                .setIteration(m.getIteration())
                .setSplit(split)
                .setDataset(m.getDataset())
                .setFoldCount(m.getFoldCount())
                .setEvaluatedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
        if (m.hasLoss()) {
            b.setLoss(m.getLoss()); // the hyperparameters a leaderboard row shows
        }
        if (m.hasTrial()) {
            b.setTrial(m.getTrial()); // search trials are kept apart from the final reproductions
        }
        return b;
    }

    /** One error result per split. */
    public static List<EvaluationResult> of(CheckpointManifest m, String error) {
        return List.of(base(m, Split.SPLIT_VALIDATION).setError(error).build(),
                base(m, Split.SPLIT_TEST).setError(error).build());
    }
}
