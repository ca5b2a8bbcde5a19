package dev.realitycheck.evaluation;

import com.google.protobuf.Duration;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.knn.Distance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationTimings;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.HeldOutImages;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.split.ClassSplit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scores an embedding function on a run's held-out classes: the validation classes of its fold and
 * the test classes (every image of those classes, training and test files together), each as
 * query = reference with cosine distance ({@link HeldOutImages}, the held-out scoring the trainer's
 * validation shares). Shared by checkpoints and baselines.
 */
final class HeldOutScorer {

    /** Embeds {@code count} images given as raw pixel values (0-255, row-major). */
    @FunctionalInterface
    interface EmbeddingFunction {
        Embeddings embed(float[] pixels, int count, int pixelsPerImage) throws Exception;
    }

    private final int knnThreads;
    private final int[] recallKs;
    private final MeterRegistry registry;

    HeldOutScorer(int knnThreads, int[] recallKs, MeterRegistry registry) {
        this.knnThreads = knnThreads;
        this.recallKs = recallKs.clone();
        this.registry = registry;
    }

    /** One result per split (validation of {@code manifest}'s fold, then test); ids from the manifest. */
    List<EvaluationResult> score(CheckpointManifest manifest, LabeledImages images, EmbeddingFunction embed)
            throws Exception {
        return List.of(score(manifest, Split.SPLIT_VALIDATION, images, embed), score(manifest, Split.SPLIT_TEST, images, embed));
    }

    /** The result of one split: the fold's validation classes, or the test classes. */
    EvaluationResult score(CheckpointManifest manifest, Split which, LabeledImages images, EmbeddingFunction embed)
            throws Exception {
        ClassSplit split = ClassSplit.of(images.labels(), Math.max(1, manifest.getFoldCount()));
        int[] classes = which == Split.SPLIT_TEST ? split.testClasses() : split.validationClasses(manifest.getFold());
        return scoreSplit(manifest, which, classes, images, embed);
    }

    private EvaluationResult scoreSplit(CheckpointManifest manifest, Split which, int[] classes, LabeledImages images,
                                        EmbeddingFunction embed) throws Exception {
        long start = System.nanoTime();
        HeldOutImages heldOut = HeldOutImages.of(images, classes);
        Embeddings embeddings = heldOut.embed(embed::embed);
        long embedded = System.nanoTime();
        RetrievalReport report = HeldOutImages.evaluator(knnThreads, RetrievalEvaluator.standardMetrics(recallKs))
                .evaluate(heldOut.task(embeddings));
        long done = System.nanoTime();
        String splitTag = which == Split.SPLIT_TEST ? "test" : "validation";
        Timer.builder("realitycheck.evaluation.duration").tag("split", splitTag).register(registry)
                .record(done - start, TimeUnit.NANOSECONDS);
        Timer.builder("realitycheck.evaluation.knn").tag("split", splitTag).register(registry)
                .record(report.knnNanos(), TimeUnit.NANOSECONDS);
        registry.counter("realitycheck.evaluation.embeddings").increment(heldOut.count());
        return ErrorResults.base(manifest, which)
                .setMetrics(MetricsMessages.metrics(report, Distance.COSINE, heldOut.count()))
                .setTimings(EvaluationTimings.newBuilder()
                        .setEmbedding(duration(embedded - start))
                        .setKnn(duration(report.knnNanos()))
                        .setMetrics(duration(done - embedded - report.knnNanos()))
                        .setTotal(duration(done - start)))
                .build();
    }

    /** The raw pixel values (0-255, row-major) of the given images: what a model's {@code images} input takes. */
    static float[] rawPixels(LabeledImages images, int[] rows) {
        return HeldOutImages.rawPixels(images, rows);
    }

    private static Duration duration(long nanos) {
        return Duration.newBuilder().setSeconds(nanos / 1_000_000_000L).setNanos((int) (nanos % 1_000_000_000L)).build();
    }
}
