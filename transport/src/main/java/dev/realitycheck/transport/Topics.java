package dev.realitycheck.transport;

import java.util.List;

/** The Kafka topics of Reality Check: the only thing the services share. */
public final class Topics {

    /** {@code RunSpec} records, key = run id; trainer pods share one consumer group. */
    public static final String RUNS = "realitycheck.runs";

    /**
     * {@code CheckpointRecord}s (a manifest, then its chunks), key = checkpoint id: the inference
     * SavedModel only, what evaluation and embedding replicas download.
     */
    public static final String CHECKPOINTS = "realitycheck.checkpoints";

    /**
     * {@code CheckpointRecord}s like {@link #CHECKPOINTS}, same keys, whose packed archive also holds
     * the training state (every variable, optimizer slots, step, seed): read only by a trainer pod that
     * resumes a run another pod began.
     */
    public static final String TRAINING_STATES = "realitycheck.training-states";

    /** {@code EvaluationResult}s, key = run id. */
    public static final String EVALUATIONS = "realitycheck.evaluations";

    /**
     * {@code EvaluationProgress} records, key = run id: the evaluation service starting and finishing the
     * scoring of a checkpoint or baseline on one split (informational, never read back by a service).
     */
    public static final String EVALUATION_PROGRESS = "realitycheck.evaluation-progress";

    /**
     * {@code EvaluationBlockTask}s, key = evaluation id and first query: blocks of one evaluation split
     * across the evaluation service's replicas (one consumer group); used only when
     * {@code realitycheck.evaluation.replicas.split-above} is on.
     */
    public static final String EVALUATION_BLOCKS = "realitycheck.evaluation-blocks";

    /** {@code EvaluationBlockScores}, key = evaluation id: a replica's scores of one block (see {@link #EVALUATION_BLOCKS}). */
    public static final String EVALUATION_PARTIALS = "realitycheck.evaluation-partials";

    /** {@code DeadLetter}s: records a consumer rejected, with the reason. */
    public static final String DEAD_LETTERS = "realitycheck.dead-letters";

    /** {@code RunEvent}s (state, validations, chosen checkpoint of a run), key = run id. */
    public static final String RUN_EVENTS = "realitycheck.run-events";

    /** {@code ExperimentRecord}s, key = experiment id; compacted (the latest record per key is kept). */
    public static final String EXPERIMENTS = "realitycheck.experiments";

    /** Every topic, for creating them up front. */
    public static final List<String> ALL = List.of(RUNS, CHECKPOINTS, TRAINING_STATES, EVALUATIONS,
            EVALUATION_PROGRESS, EVALUATION_BLOCKS, EVALUATION_PARTIALS, DEAD_LETTERS, RUN_EVENTS, EXPERIMENTS);

    private Topics() {
    }
}
