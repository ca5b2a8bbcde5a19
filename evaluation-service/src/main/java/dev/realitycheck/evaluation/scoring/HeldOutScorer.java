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

    /** Receives each split's result as soon as it is computed, on the thread that called the scorer. */
    @FunctionalInterface
    public interface ResultSink {
        void accept(EvaluationResult result) throws Exception;
    }

    /**
     * Where a split's neighbours and metrics may be computed instead of in this process (the
     * evaluation split across replicas); the report must equal the one this process would compute.
     */
    @FunctionalInterface
    public interface Elsewhere {
        /** Everything is computed here. */
        Elsewhere NONE = (manifest, which, task) -> null;

        /** The report of {@code task} (the embedded split of {@code manifest}), or null to compute it here. */
        RetrievalReport evaluate(CheckpointManifest manifest, Split which, RetrievalTask task) throws Exception;
    }

    /** The order splits are started in: test first, the result a trainer waits for. */
    static final List<Split> ORDER = List.of(Split.SPLIT_TEST, Split.SPLIT_VALIDATION);

    private final int knnThreads;
    private final int[] recallKs;
    private final MeterRegistry registry;
    private final ScoringProgress progress;
    private final SplitSchedule schedule;
    private final Elsewhere elsewhere;

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
        this(knnThreads, recallKs, registry, progress, SplitSchedule.SEQUENTIAL);
    }

    /** As {@link #HeldOutScorer(int, int[], MeterRegistry, ScoringProgress)}, scoring a checkpoint's splits by {@code schedule}. */
    public HeldOutScorer(int knnThreads, int[] recallKs, MeterRegistry registry, ScoringProgress progress,
                         SplitSchedule schedule) {
        this(knnThreads, recallKs, registry, progress, schedule, Elsewhere.NONE);
    }

    /** As {@link #HeldOutScorer(int, int[], MeterRegistry, ScoringProgress, SplitSchedule)}, offering each split's kNN to {@code elsewhere} first. */
    public HeldOutScorer(int knnThreads, int[] recallKs, MeterRegistry registry, ScoringProgress progress,
                         SplitSchedule schedule, Elsewhere elsewhere) {
        this.elsewhere = java.util.Objects.requireNonNull(elsewhere, "elsewhere");
        this.knnThreads = knnThreads;
        this.recallKs = recallKs.clone();
        this.registry = registry;
        this.progress = java.util.Objects.requireNonNull(progress, "progress");
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
    }

    /** One result per split (validation of {@code manifest}'s fold, then test); ids from the manifest. */
    List<EvaluationResult> score(CheckpointManifest manifest, LabeledImages images, EmbeddingFunction embed)
            throws Exception {
        return collect(results -> score(manifest, images, embed, EmbeddingSink.NONE, results));
    }

    /**
     * Scores both splits by the schedule (test first), handing each split's embeddings to {@code sink}
     * and each result to {@code results} as soon as it is computed.
     */
    void score(CheckpointManifest manifest, LabeledImages images, EmbeddingFunction embed, EmbeddingSink sink,
               ResultSink results) throws Exception {
        score(manifest, images.labels(), rows -> embed.embed(HeldOutImages.rawPixels(images, rows), rows.length,
                images.pixelsPerImage()), sink, results);
    }

    /** The result of one split: the fold's validation classes, or the test classes. */
    EvaluationResult score(CheckpointManifest manifest, Split which, LabeledImages images, EmbeddingFunction embed)
            throws Exception {
        HeldOutImages heldOut = HeldOutImages.of(images, classes(manifest, which, images.labels()));
        SplitWork work = new SplitWork(which, heldOut.labels(), () -> heldOut.embed(embed::embed));
        return finish(manifest, work, embed(manifest, work, EmbeddingSink.NONE));
    }

    /**
     * Scores both splits of a dataset known by its labels by the schedule (test first), each split's
     * images embedded by {@code embed} (every image of the split's classes, in index order), handing
     * each split's embeddings to {@code sink} and each result to {@code results} as soon as it is
     * computed; ids from the manifest.
     */
    void score(CheckpointManifest manifest, int[] labels, RowEmbedder embed, EmbeddingSink sink, ResultSink results)
            throws Exception {
        List<SplitWork> work = new java.util.ArrayList<>(ORDER.size());
        for (Split which : ORDER) {
            int[] rows = rows(manifest, which, labels);
            work.add(new SplitWork(which, labelsOf(labels, rows), () -> embed.embed(rows)));
        }
        run(manifest, work, sink, results);
    }

    /**
     * One split of a dataset known by its labels, embedded by {@code embed} exactly as {@link #score}
     * embeds it (every image of the split's classes, in index order) and paired with its labels as
     * query = reference: what a replica scores a block of a split evaluation against.
     */
    static RetrievalTask embedSplit(CheckpointManifest manifest, Split which, int[] labels, RowEmbedder embed)
            throws Exception {
        int[] rows = rows(manifest, which, labels);
        return RetrievalTask.sameSet(embed.embed(rows), labelsOf(labels, rows));
    }

    /** The rows (dataset indices, ascending) of a split's classes. */
    private static int[] rows(CheckpointManifest manifest, Split which, int[] labels) {
        return ClassSplit.select(labels, classes(manifest, which, labels));
    }

    /** The labels of {@code rows}, in their order. */
    private static int[] labelsOf(int[] labels, int[] rows) {
        int[] rowLabels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rowLabels[i] = labels[rows[i]];
        }
        return rowLabels;
    }

    /** Runs {@code scoring}, returning its results ordered validation, then test. */
    static List<EvaluationResult> collect(Scoring scoring) throws Exception {
        List<EvaluationResult> results = new java.util.ArrayList<>(2);
        scoring.run(results::add);
        results.sort(java.util.Comparator.comparing(r -> r.getSplit() == Split.SPLIT_TEST));
        return List.copyOf(results);
    }

    /** A scoring that hands its results to a sink. */
    @FunctionalInterface
    interface Scoring {
        void run(ResultSink results) throws Exception;
    }

    /** One split's labels (rows in index order) and how its images are embedded. */
    private record SplitWork(Split which, int[] labels, java.util.concurrent.Callable<Embeddings> embed) {
    }

    /** One split's embeddings, with when its scoring started and how long embedding took. */
    private record Embedded(Embeddings embeddings, long startNanos, long embedNanos) {
    }

    /** Scores the splits of {@code work} (in order) by the schedule; results are handed on from this thread. */
    private void run(CheckpointManifest manifest, List<SplitWork> work, EmbeddingSink sink, ResultSink results)
            throws Exception {
        switch (schedule) {
            case SEQUENTIAL -> {
                for (SplitWork w : work) {
                    results.accept(finish(manifest, w, embed(manifest, w, sink)));
                }
            }
            case OVERLAPPED -> {
                java.util.concurrent.ExecutorService ahead = java.util.concurrent.Executors.newSingleThreadExecutor(
                        Thread.ofPlatform().name("embed-ahead").daemon().factory());
                try {
                    Embedded current = embed(manifest, work.get(0), sink);
                    for (int i = 0; i < work.size(); i++) {
                        SplitWork following = i + 1 < work.size() ? work.get(i + 1) : null;
                        java.util.concurrent.Future<Embedded> next = following == null ? null
                                : ahead.submit(() -> embed(manifest, following, sink));
                        results.accept(finish(manifest, work.get(i), current));
                        current = next == null ? null : await(next);
                    }
                } finally {
                    ahead.shutdownNow();
                }
            }
            case CONCURRENT -> {
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(work.size(),
                        Thread.ofPlatform().name("split-", 0).daemon().factory());
                try {
                    java.util.concurrent.CompletionService<EvaluationResult> done =
                            new java.util.concurrent.ExecutorCompletionService<>(pool);
                    for (SplitWork w : work) {
                        done.submit(() -> finish(manifest, w, embed(manifest, w, sink)));
                    }
                    for (int i = 0; i < work.size(); i++) {
                        results.accept(await(done.take()));
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    /** The value of a finished task; its failure rethrown as it was thrown. */
    private static <T> T await(java.util.concurrent.Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
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

    /** Starts a split's scoring (log line, progress) and embeds its images; a failure is reported and rethrown. */
    private Embedded embed(CheckpointManifest manifest, SplitWork work, EmbeddingSink sink) throws Exception {
        long start = System.nanoTime();
        EvaluationProgress.Builder event = progressOf(manifest, work.which(), work.labels().length);
        LOG.infof("scoring %s: %,d queries", event.getEvaluationId(), work.labels().length);
        tell(event.setPhase(EvaluationPhase.EVALUATION_PHASE_STARTED));
        try {
            Embeddings embeddings = work.embed().call();
            sink.accept(work.which(), embeddings, work.labels());
            return new Embedded(embeddings, start, System.nanoTime() - start);
        } catch (Exception | Error e) {
            failed(event, start, e);
            throw e;
        }
    }

    /** Searches a split's neighbours, computes its metrics and ends its scoring (log line, progress, timers). */
    private EvaluationResult finish(CheckpointManifest manifest, SplitWork work, Embedded embedded) throws Exception {
        Split which = work.which();
        int[] labels = work.labels();
        int count = labels.length;
        EvaluationProgress.Builder event = progressOf(manifest, which, count);
        long knnStart = System.nanoTime();
        RetrievalReport report;
        try {
            RetrievalTask task = RetrievalTask.sameSet(embedded.embeddings(), labels);
            RetrievalReport remote = elsewhere.evaluate(manifest, which, task);
            report = remote != null ? remote : evaluator().evaluate(task);
        } catch (Exception | Error e) {
            failed(event, embedded.startNanos(), e);
            throw e;
        }
        long done = System.nanoTime();
        long start = embedded.startNanos();
        LOG.infof("scored %s: %,d queries in %.1f s (embedding %.1f s, kNN %.1f s)", event.getEvaluationId(),
                count, (done - start) / 1e9, embedded.embedNanos() / 1e9, report.knnNanos() / 1e9);
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
                        .setEmbedding(duration(embedded.embedNanos()))
                        .setKnn(duration(report.knnNanos()))
                        .setMetrics(duration(done - knnStart - report.knnNanos()))
                        .setTotal(duration(done - start)))
                .build();
    }

    /** The evaluator of every split (cosine, the standard metrics at this scorer's Ks): the same wherever a split is scored. */
    public RetrievalEvaluator evaluator() {
        return HeldOutImages.evaluator(knnThreads, RetrievalEvaluator.standardMetrics(recallKs));
    }

    /** Logs and reports a split's failed scoring. */
    private void failed(EvaluationProgress.Builder event, long start, Throwable e) {
        long failed = System.nanoTime() - start;
        LOG.infof("scoring %s failed after %.1f s: %s", event.getEvaluationId(), failed / 1e9, e);
        tell(event.setPhase(EvaluationPhase.EVALUATION_PHASE_FAILED).setElapsed(duration(failed))
                .setError(String.valueOf(e)));
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

    /** {@code nanos} as a protobuf duration (the timings of a result). */
    public static Duration duration(long nanos) {
        return Duration.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
    }
}
