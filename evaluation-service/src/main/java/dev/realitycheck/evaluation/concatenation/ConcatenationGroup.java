package dev.realitycheck.evaluation.concatenation;

import dev.realitycheck.proto.v1.EvaluationResult;
import java.util.OptionalInt;

/**
 * One configuration reproduced with one seed: the runs of an experiment's loss config (and search
 * trial, if any) that differ only in their validation fold. Their fold models' test embeddings are
 * concatenated into one evaluation ({@link FoldConcatenator}).
 *
 * @param experimentId the experiment
 * @param lossName     the loss config name
 * @param seed         the reproduction's seed
 * @param trial        the search trial, empty for a final reproduction
 */
record ConcatenationGroup(String experimentId, String lossName, long seed, OptionalInt trial) {

    /** Prefix of every concatenated evaluation's run id. */
    static final String RUN_PREFIX = "concat:";

    ConcatenationGroup {
        if (experimentId == null || experimentId.isEmpty()) {
            throw new IllegalArgumentException("experimentId must not be empty, got '" + experimentId + "'");
        }
        if (lossName == null || lossName.isEmpty()) {
            throw new IllegalArgumentException("lossName must not be empty, got '" + lossName + "'");
        }
    }

    /** The group a per-checkpoint result belongs to. */
    static ConcatenationGroup of(EvaluationResult r) {
        return new ConcatenationGroup(r.getExperimentId(), r.getLossName(), r.getSeed(),
                r.hasTrial() ? OptionalInt.of(r.getTrial()) : OptionalInt.empty());
    }

    /** True when {@code r} is a per-checkpoint result of one of this group's runs. */
    boolean contains(EvaluationResult r) {
        return !r.getBaseline() && !r.getConcatenated() && r.getExperimentId().equals(experimentId)
                && r.getLossName().equals(lossName) && r.getSeed() == seed
                && (trial.isPresent() ? r.hasTrial() && r.getTrial() == trial.getAsInt() : !r.hasTrial());
    }

    /** {@code concat:<experiment>/<loss>/<seed>}, plus {@code /trial<t>} for a search trial. */
    String runId() {
        return RUN_PREFIX + experimentId + "/" + lossName + "/" + seed
                + (trial.isPresent() ? "/trial" + trial.getAsInt() : "");
    }

    /** The concatenated evaluation's id: one per group, replaced when a fold's chosen checkpoint changes. */
    String evaluationId() {
        return runId() + "/test";
    }
}
