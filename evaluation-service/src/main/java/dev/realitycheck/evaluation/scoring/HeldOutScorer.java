package dev.realitycheck.evaluation.scoring;

import com.google.protobuf.Duration;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationTimings;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.data.split.HeldOutImages;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.split.ClassSplit;
import dev.realitycheck.evaluation.progress.ScoringProgress;
import dev.realitycheck.proto.v1.EvaluationPhase;
import dev.realitycheck.proto.v1.EvaluationProgress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Scores an embedding function on a run's held-out classes: the validation classes of its fold and
 * the test classes (every image of those classes, training and test files together), each as
 * query = reference with cosine distance ({@link HeldOutImages}, the held-out scoring the trainer's
 * validation shares). Shared by checkpoints and baselines. Each split's scoring writes a log line
 * when it starts and when it ends (what, how many queries, how long) and reports the same to a
 * {@link ScoringProgress} (in the service: {@code realitycheck.evaluation-progress}).
 */
public final class HeldOutScorer {

    private static final Logger LOG = Logger.getLogger(HeldOutScorer.class);

    /** Embeds {@code count} images given as raw pixel values (0-255, row-major). */
    @FunctionalInterface
    interface EmbeddingFunction {
        Embeddings embed(float[] pixels, int count, int pixelsPerImage) throws Exception;
    }

    /** Embeds the images at some indices of a dataset streamed from disk (an image dataset), in order. */
    @FunctionalInterface
    interface RowEmbedder {
        Embeddings embed(int[] rows) throws Exception;
    }

    /** Receives the embeddings a split was scored on (e.g. to cache the test embeddings). */
    @FunctionalInterface
    interface EmbeddingSink {
        /** Does nothing. */
        EmbeddingSink NONE = (split, embeddings, labels) -> { };

        void accept(Split split, Embeddings embeddings, int[] labels) throws Exception;
    }

    private final int knnThreads;
    private final int[] recallKs;
    private final MeterRegistry registry;
    private final ScoringProgress progress;

    /**
     * @param knnThreads threads of one exact kNN search
     * @param recallKs   the K of every Recall@K computed
     * @param registry   where the durations and embedding counts are recorded
     */
    public HeldOutScorer(int knnThreads, int[] recallKs, MeterRegistry registry) {
        this(knnThreads, recallKs, registry, ScoringProgress.NONE);
    }

    /** As {@link #HeldOutScorer(int, int[], MeterRegistry)}, telling {@code progress} when each split starts and ends. */
    public HeldOutScorer(int knnThreads, int[] recallKs, MeterRegistry registry, ScoringProgress progress) {
        this.knnThreads = knnThreads;
        this.recallKs = recallKs.clone();
        this.registry = registry;
        this.progress = java.util.Objects.requireNonNull(progress, "progress");
    }

    /** One result per split (validation of {@code manifest}'s fold, then test); ids from the manifest. */
    List<EvaluationResult> score(CheckpointManifest manifest, LabeledImages images, EmbeddingFunction embed)
            throws Exception {
        return score(manifest, images, embed, EmbeddingSink.NONE);
    }

    /** As {@link #score(CheckpointManifest, LabeledImages, EmbeddingFunction)}, handing each split's embeddings to {@code sink}. */
    List<EvaluationResult> score(CheckpointManifest manifest, LabeledImages images, EmbeddingFunction embed,
                                 EmbeddingSink sink) throws Exception {
        return List.of(score(manifest, Split.SPLIT_VALIDATION, images, embed, sink),
                score(manifest, Split.SPLIT_TEST, images, embed, sink));
    }

    /** The result of one split: the fold's validation classes, or the test classes. */
    EvaluationResult score(CheckpointManifest manifest, Split which, LabeledImages images, EmbeddingFunction embed)
            throws Exception {
        return score(manifest, which, images, embed, EmbeddingSink.NONE);
    }

    private EvaluationResult score(CheckpointManifest manifest, Split which, LabeledImages images, EmbeddingFunction embed,
                                   EmbeddingSink sink) throws Exception {
        HeldOutImages heldOut = HeldOutImages.of(images, classes(manifest, which, images.labels()));
        return scoreSplit(manifest, which, heldOut.labels(), () -> heldOut.embed(embed::embed), sink);
    }

    /**
     * One result per split (validation of {@code manifest}'s fold, then test) of a dataset known by
     * its labels, each split's images embedded by {@code embed} (every image of the split's classes,
     * in index order); ids from the manifest.
     */
    List<EvaluationResult> score(CheckpointManifest manifest, int[] labels, RowEmbedder embed, EmbeddingSink sink)
            throws Exception {
        List<EvaluationResult> results = new java.util.ArrayList<>(2);
        for (Split which : List.of(Split.SPLIT_VALIDATION, Split.SPLIT_TEST)) {
            int[] rows = ClassSplit.select(labels, classes(manifest, which, labels));
            int[] rowLabels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                rowLabels[i] = labels[rows[i]];
            }
            results.add(scoreSplit(manifest, which, rowLabels, () -> embed.embed(rows), sink));
        }
        return results;
    }

    /** The classes of a split: the fold's validation classes or the test classes. */
    private static int[] classes(CheckpointManifest manifest, Split which, int[] labels) {
        ClassSplit split = ClassSplit.of(labels, Math.max(1, manifest.getFoldCount()));
        return which == Split.SPLIT_TEST ? split.testClasses() : split.validationClasses(manifest.getFold());
    }

    /**
     * Metrics of precomputed embeddings (query = reference, cosine), e.g. a concatenation of
     * several models' embeddings; identity fields from {@code identity}.
     */
    public EvaluationResult.Builder scoreEmbeddings(EvaluationResult.Builder identity, Embeddings embeddings, int[] labels) {
        long start = System.nanoTime();
        RetrievalEvaluator evaluator = new RetrievalEvaluator(new ExactKnn(KnnDistance.COSINE, knnThreads),
                RetrievalEvaluator.standardMetrics(recallKs));
        RetrievalReport report = evaluator.evaluate(RetrievalTask.sameSet(embeddings, labels));
        long done = System.nanoTime();
        return identity.setMetrics(MetricsMessages.metrics(report, KnnDistance.COSINE, labels.length))
                .setTimings(EvaluationTimings.newBuilder()
                        .setKnn(duration(report.knnNanos()))
                        .setMetrics(duration(done - start - report.knnNanos()))
                        .setTotal(duration(done - start)));
    }

    private EvaluationResult scoreSplit(CheckpointManifest manifest, Split which, int[] labels,
                                        java.util.concurrent.Callable<Embeddings> embed, EmbeddingSink sink)
            throws Exception {
        long start = System.nanoTime();
        int count = labels.length;
        EvaluationProgress.Builder event = progressOf(manifest, which, count);
        LOG.infof("scoring %s: %,d queries", event.getEvaluationId(), count);
        tell(event.setPhase(EvaluationPhase.EVALUATION_PHASE_STARTED));
        Embeddings embeddings;
        RetrievalReport report;
        long embedded;
        try {
            embeddings = embed.call();
            sink.accept(which, embeddings, labels);
            embedded = System.nanoTime();
            report = HeldOutImages.evaluator(knnThreads, RetrievalEvaluator.standardMetrics(recallKs))
                    .evaluate(RetrievalTask.sameSet(embeddings, labels));
        } catch (Exception | Error e) {
            long failed = System.nanoTime() - start;
            LOG.infof("scoring %s failed after %.1f s: %s", event.getEvaluationId(), failed / 1e9, e);
            tell(event.setPhase(EvaluationPhase.EVALUATION_PHASE_FAILED).setElapsed(duration(failed))
                    .setError(String.valueOf(e)));
            throw e;
        }
        long done = System.nanoTime();
        LOG.infof("scored %s: %,d queries in %.1f s (embedding %.1f s, kNN %.1f s)", event.getEvaluationId(),
                count, (done - start) / 1e9, (embedded - start) / 1e9, report.knnNanos() / 1e9);
        tell(event.setPhase(EvaluationPhase.EVALUATION_PHASE_FINISHED).setElapsed(duration(done - start)));
        String splitTag = which == Split.SPLIT_TEST ? "test" : "validation";
        Timer.builder("realitycheck.evaluation.duration").tag("split", splitTag).register(registry)
                .record(done - start, TimeUnit.NANOSECONDS);
        Timer.builder("realitycheck.evaluation.knn").tag("split", splitTag).register(registry)
                .record(report.knnNanos(), TimeUnit.NANOSECONDS);
        registry.counter("realitycheck.evaluation.embeddings").increment(count);
        return ErrorResults.base(manifest, which)
                .setMetrics(MetricsMessages.metrics(report, KnnDistance.COSINE, count))
                .setTimings(EvaluationTimings.newBuilder()
                        .setEmbedding(duration(embedded - start))
                        .setKnn(duration(report.knnNanos()))
                        .setMetrics(duration(done - embedded - report.knnNanos()))
                        .setTotal(duration(done - start)))
                .build();
    }

    private static EvaluationProgress.Builder progressOf(CheckpointManifest manifest, Split which, int queries) {
        return EvaluationProgress.newBuilder()
                .setEvaluationId(EvaluationIds.of(manifest.getCheckpointId(), which))
                .setCheckpointId(manifest.getCheckpointId())
                .setRunId(manifest.getRunId())
                .setExperimentId(manifest.getExperimentId())
                .setLossName(manifest.getLossName())
                .setSplit(which)
                .setBaseline(Baselines.isBaselineRun(manifest.getRunId()))
                .setQueryCount(queries);
    }

    private void tell(EvaluationProgress.Builder event) {
        java.time.Instant now = java.time.Instant.now();
        try {
            progress.report(event.setReportedAt(com.google.protobuf.Timestamp.newBuilder()
                    .setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build());
        } catch (RuntimeException e) {
            LOG.debugf("progress of %s not reported: %s", event.getEvaluationId(), e);
        }
    }

    /** The raw pixel values (0-255, row-major) of the given images: what a model's {@code images} input takes. */
    public static float[] rawPixels(LabeledImages images, int[] rows) {
        return HeldOutImages.rawPixels(images, rows);
    }

    private static Duration duration(long nanos) {
        return Duration.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
    }
}
