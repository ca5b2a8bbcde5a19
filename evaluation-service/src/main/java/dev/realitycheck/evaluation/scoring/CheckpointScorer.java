package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import java.nio.file.Path;
import java.util.List;

/** Evaluates one verified checkpoint on its run's validation classes and on the test classes. */
public interface CheckpointScorer {

    /**
     * @param manifest    the checkpoint's manifest (run, fold, dataset, input spec)
     * @param packedModel the verified packed SavedModel
     * @return one result per split, validation first
     * @throws Exception when the model cannot be loaded or run (the caller dead-letters it)
     */
    List<EvaluationResult> score(CheckpointManifest manifest, Path packedModel) throws Exception;

    /**
     * As {@link #score(CheckpointManifest, Path)}, handing each split's result to {@code results} as
     * soon as it is computed (a scorer that can: the test split first), so it can be published
     * before the other split is done. By default: both results once both are computed, validation first.
     *
     * @throws Exception when the model cannot be loaded or run; results handed on before stay valid
     */
    default void score(CheckpointManifest manifest, Path packedModel, HeldOutScorer.ResultSink results)
            throws Exception {
        for (EvaluationResult result : score(manifest, packedModel)) {
            results.accept(result);
        }
    }
}
