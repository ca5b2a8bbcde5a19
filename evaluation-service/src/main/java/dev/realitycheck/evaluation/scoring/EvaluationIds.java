package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.proto.v1.Split;

/** Deterministic evaluation ids: a re-delivered checkpoint yields the same id, so results are idempotent. */
public final class EvaluationIds {

    private EvaluationIds() {
    }

    /** {@code <checkpoint id>/validation} or {@code <checkpoint id>/test}. */
    public static String of(String checkpointId, Split split) {
        return checkpointId + "/" + switch (split) {
            case SPLIT_VALIDATION -> "validation";
            case SPLIT_TEST -> "test";
            default -> throw new IllegalArgumentException("an evaluation needs a split, got " + split);
        };
    }
}
