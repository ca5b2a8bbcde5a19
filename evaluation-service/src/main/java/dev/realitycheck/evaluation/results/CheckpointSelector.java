package dev.realitycheck.evaluation.results;

import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses a run's checkpoint: the best VALIDATION MAP@R (ties: the earlier iteration). It is
 * handed validation results only and refuses anything else, so test numbers cannot leak into a
 * choice (the paper's "no test-set tuning", made structural).
 */
public final class CheckpointSelector {

    private CheckpointSelector() {
    }

    /** The chosen validation result, or empty when none has a defined MAP@R. */
    public static Optional<EvaluationResult> best(List<EvaluationResult> validationResults) {
        for (EvaluationResult r : validationResults) {
            if (r.getSplit() != Split.SPLIT_VALIDATION) {
                throw new IllegalArgumentException("checkpoint selection must only see validation results, got "
                        + r.getSplit() + " for " + r.getEvaluationId());
            }
        }
        return validationResults.stream()
                .filter(r -> r.getError().isEmpty() && r.hasMetrics() && r.getMetrics().hasMeanAveragePrecisionAtR())
                .max(Comparator.<EvaluationResult>comparingDouble(r -> r.getMetrics().getMeanAveragePrecisionAtR())
                        .thenComparing(Comparator.comparingLong(EvaluationResult::getIteration).reversed())
                        .thenComparing(EvaluationResult::getCheckpointId, Comparator.reverseOrder()));
    }
}
