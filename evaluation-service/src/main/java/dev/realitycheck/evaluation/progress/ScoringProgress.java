package dev.realitycheck.evaluation.progress;

import dev.realitycheck.proto.v1.EvaluationProgress;

/**
 * Told when the scoring of one checkpoint (or baseline) on one split starts and when it ends
 * ({@code HeldOutScorer} calls it and writes the log line itself). Called on the scoring thread: an
 * implementation must not block for long, and anything it throws is logged and ignored, because
 * progress is information, never a reason to lose a result.
 */
@FunctionalInterface
public interface ScoringProgress {

    /** Tells nobody (the log line is still written). */
    ScoringProgress NONE = event -> { };

    /** @param event what is being scored, the phase, the query count and, at the end, the elapsed time */
    void report(EvaluationProgress event);
}
