package dev.realitycheck.evaluation.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationPhase;
import dev.realitycheck.proto.v1.EvaluationProgress;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress {@link HeldOutScorer} reports around each scored split: started then finished with
 * the query count and the elapsed time, or started then failed with the reason (the exception still
 * reaches the caller), and a progress listener that throws never costs the result.
 */
class HeldOutScorerProgressTest {

    @TempDir
    Path tmp;

    private LabeledImages images() throws Exception {
        return MnistDirectory.load(TinyDataset.write(tmp, 10, 6, 8, 5), MnistSplit.ALL);
    }

    private static CheckpointManifest manifest() {
        return CheckpointManifest.newBuilder().setCheckpointId("ck").setRunId("run").setExperimentId("exp")
                .setLossName("contrastive").setFold(0).setFoldCount(1).build();
    }

    @Test
    void aScoredSplitReportsStartedThenFinishedWithItsQueriesAndElapsedTime() throws Exception {
        List<EvaluationProgress> events = new ArrayList<>();
        HeldOutScorer scorer = new HeldOutScorer(1, new int[] {1}, new SimpleMeterRegistry(), events::add);

        EvaluationResult result = scorer.score(manifest(), Split.SPLIT_TEST, images(),
                (pixels, count, perImage) -> new Embeddings(pixels, count, perImage));

        assertThat(events).extracting(EvaluationProgress::getPhase)
                .containsExactly(EvaluationPhase.EVALUATION_PHASE_STARTED, EvaluationPhase.EVALUATION_PHASE_FINISHED);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getEvaluationId()).isEqualTo("ck/test");
            assertThat(e.getRunId()).isEqualTo("run");
            assertThat(e.getBaseline()).isFalse();
            assertThat(e.getQueryCount()).isEqualTo(result.getMetrics().getQueryCount()).isEqualTo(30);
            assertThat(e.hasReportedAt()).isTrue();
        });
        assertThat(events.get(1).getElapsed()).isEqualTo(result.getTimings().getTotal());
    }

    @Test
    void aFailingSplitReportsFailedWithTheReasonAndStillThrows() throws Exception {
        List<EvaluationProgress> events = new ArrayList<>();
        HeldOutScorer scorer = new HeldOutScorer(1, new int[] {1}, new SimpleMeterRegistry(), events::add);
        LabeledImages images = images();

        assertThatThrownBy(() -> scorer.score(manifest(), Split.SPLIT_VALIDATION, images, (pixels, count, perImage) -> {
            throw new IllegalStateException("model exploded");
        })).hasMessage("model exploded");

        assertThat(events).extracting(EvaluationProgress::getPhase)
                .containsExactly(EvaluationPhase.EVALUATION_PHASE_STARTED, EvaluationPhase.EVALUATION_PHASE_FAILED);
        assertThat(events.get(1).getError()).contains("model exploded");
        assertThat(events.get(1).getEvaluationId()).isEqualTo("ck/validation");
    }

    @Test
    void aProgressListenerThatThrowsDoesNotCostTheResult() throws Exception {
        HeldOutScorer scorer = new HeldOutScorer(1, new int[] {1}, new SimpleMeterRegistry(), event -> {
            throw new IllegalStateException("broker gone");
        });

        EvaluationResult result = scorer.score(manifest(), Split.SPLIT_TEST, images(),
                (pixels, count, perImage) -> new Embeddings(pixels, count, perImage));

        assertThat(result.getMetrics().getQueryCount()).isEqualTo(30);
    }
}
