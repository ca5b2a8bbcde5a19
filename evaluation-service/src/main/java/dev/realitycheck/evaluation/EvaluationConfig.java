package dev.realitycheck.evaluation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Settings of the evaluation-service, under {@code realitycheck.evaluation}. */
@ConfigMapping(prefix = "realitycheck.evaluation")
public interface EvaluationConfig {

    /** Threads of one exact kNN search; default: every available processor. */
    Optional<Integer> knnThreads();

    /** Recall@K values reported when a request names none. */
    @WithDefault("1,2,4,8")
    List<Integer> recallKs();

    /** Largest number of rows (queries plus references) one EvaluateEmbeddings request may send. */
    @WithDefault("200000")
    int maxEvaluateRows();

    /** The kNN thread count this configuration resolves to. */
    default int resolvedKnnThreads() {
        return knnThreads().orElse(Runtime.getRuntime().availableProcessors());
    }
}
