package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.data.SyntheticClusters;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import java.util.function.BooleanSupplier;

/**
 * Runs the exact kNN engine once on two small generated problems when the service starts, so that
 * the first checkpoint's kNN runs compiled code: in a fresh JVM the first 35,000-query evaluation
 * (bin/bench-pipeline's test split) took 1.2-3 s more CPU than a warmed one while the JIT
 * compiled the dot-product tiles (Vector API), the whole-row selection and the metrics. The
 * problems take the evaluator's two paths: {@value #LARGE_ROWS} rows in 2 classes (k in the
 * thousands: whole rows scored and ranked by the radix selection) and {@value #SMALL_ROWS} rows in
 * classes of {@value #SMALL_CLASS_SIZE} (small k: bounded heaps). Bounded: together 1.6% of that
 * evaluation's dot products; what they cost is mostly the compiling itself (see
 * docs/benchmarks.md, "Checkpoint to result"). Not part of any result, and it gives way to real
 * work: it runs no further problem once a checkpoint is being received or scored.
 */
public final class EngineWarmUp {

    /** Rows of the large-k problem: 2 classes, so k = R = {@code LARGE_ROWS / 2 - 1}. */
    static final int LARGE_ROWS = 4_000;
    /** Rows of the small-k problem. */
    static final int SMALL_ROWS = 2_000;
    /** Rows per class of the small-k problem (R = 7). */
    static final int SMALL_CLASS_SIZE = 8;
    /** Dimensions of both: the embedding size of the demo's networks. */
    static final int DIM = 64;

    /**
     * What the warm-up computed.
     *
     * @param largeK  the report of the large-k problem, null when it was skipped for real work
     * @param smallK  the report of the small-k problem, null when it was skipped for real work
     * @param nanos   how long the problems run took
     */
    public record Outcome(RetrievalReport largeK, RetrievalReport smallK, long nanos) {
        /** The problems run in order: the small-k one only after the large-k one. */
        public Outcome {
            if (smallK != null && largeK == null) {
                throw new IllegalArgumentException("the small-k problem runs after the large-k one");
            }
        }

        /** True when both problems ran; false when the warm-up gave way to real work. */
        public boolean complete() {
            return largeK != null && smallK != null;
        }
    }

    private EngineWarmUp() {
    }

    /** Evaluates both generated problems with {@code evaluator} (the one every split is scored with). */
    public static Outcome run(RetrievalEvaluator evaluator) {
        return run(evaluator, () -> false);
    }

    /**
     * As {@link #run(RetrievalEvaluator)}, giving way to real work: before each problem it asks
     * {@code realWork} and, once that is true (a checkpoint being received or scored), runs nothing
     * more, so the checkpoint does not share the cores with the warm-up beyond the problem in progress
     * (the engine has no cancellation; the real work warms the JIT itself).
     */
    public static Outcome run(RetrievalEvaluator evaluator, BooleanSupplier realWork) {
        long start = System.nanoTime();
        RetrievalReport large = null;
        RetrievalReport small = null;
        if (!realWork.getAsBoolean()) {
            large = evaluator.evaluate(clusters(LARGE_ROWS, LARGE_ROWS / 2, 1f, 1));
            if (!realWork.getAsBoolean()) {
                small = evaluator.evaluate(clusters(SMALL_ROWS, SMALL_CLASS_SIZE, 1f, 2));
            }
        }
        return new Outcome(large, small, System.nanoTime() - start);
    }

    /**
     * {@code rows} embeddings of {@value #DIM} dimensions in classes of {@code classSize} rows
     * ({@link SyntheticClusters}: centres on the unit sphere, Gaussian noise of total standard
     * deviation {@code noise}; at 1 neighbours mix classes a little, as an embedding in training
     * does; larger noise mixes them more). Query = reference.
     */
    public static RetrievalTask clusters(int rows, int classSize, double noise, long seed) {
        int classes = (rows + classSize - 1) / classSize;
        SyntheticClusters data = SyntheticClusters.generate(rows, DIM, classes, rows / classes,
                (rows + classes - 1) / classes, noise, seed);
        return RetrievalTask.sameSet(data.embeddings(), data.labels());
    }
}
