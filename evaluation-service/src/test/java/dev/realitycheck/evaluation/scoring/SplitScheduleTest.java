package dev.realitycheck.evaluation.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How {@link HeldOutScorer} schedules a checkpoint's two splits ({@link SplitSchedule}): every
 * schedule gives the same metrics; SEQUENTIAL and OVERLAPPED hand the test result on first; the
 * OVERLAPPED and CONCURRENT schedules really run the other split's embedding while a result is
 * being handed on (a latch the sink waits on, which SEQUENTIAL could never open); and a split that
 * fails after the first result was handed on still fails the scoring.
 */
class SplitScheduleTest {

    @TempDir
    Path tmp;

    LabeledImages images;

    @BeforeEach
    void setUp() throws Exception {
        images = MnistDirectory.load(TinyDataset.write(tmp, 10, 6, 8, 5), MnistSplit.ALL);
    }

    private static CheckpointManifest manifest() {
        return CheckpointManifest.newBuilder().setCheckpointId("ck").setRunId("run").setExperimentId("exp")
                .setLossName("contrastive").setFold(1).setFoldCount(2).build();
    }

    private static HeldOutScorer scorer(SplitSchedule schedule) {
        return new HeldOutScorer(1, new int[] {1, 2}, new SimpleMeterRegistry(), e -> { }, schedule);
    }

    /** The raw pixels as embeddings, counting the calls. */
    private static HeldOutScorer.EmbeddingFunction identity(List<Integer> counts) {
        return (pixels, count, perImage) -> {
            counts.add(count);
            return new Embeddings(pixels, count, perImage);
        };
    }

    @ParameterizedTest
    @EnumSource(SplitSchedule.class)
    void everyScheduleGivesTheSequentialMetricsAndTheListStaysValidationThenTest(SplitSchedule schedule) throws Exception {
        List<EvaluationResult> expected = scorer(SplitSchedule.SEQUENTIAL).score(manifest(), images,
                identity(new ArrayList<>()));
        List<EvaluationResult> handed = Collections.synchronizedList(new ArrayList<>());
        scorer(schedule).score(manifest(), images, identity(Collections.synchronizedList(new ArrayList<>())),
                HeldOutScorer.EmbeddingSink.NONE, handed::add);

        assertThat(expected).extracting(EvaluationResult::getSplit).containsExactly(Split.SPLIT_VALIDATION, Split.SPLIT_TEST);
        assertThat(handed).hasSize(2);
        for (EvaluationResult want : expected) {
            EvaluationResult got = handed.stream().filter(r -> r.getSplit() == want.getSplit()).findFirst().orElseThrow();
            assertThat(got.getMetrics()).isEqualTo(want.getMetrics());
            assertThat(got.getEvaluationId()).isEqualTo(want.getEvaluationId());
        }
        if (schedule != SplitSchedule.CONCURRENT) {
            assertThat(handed.get(0).getSplit()).as("the test split first").isEqualTo(Split.SPLIT_TEST);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SplitSchedule.class, names = {"OVERLAPPED", "CONCURRENT"})
    void theOtherSplitIsEmbeddedWhileTheFirstResultIsHandedOn(SplitSchedule schedule) throws Exception {
        List<Integer> counts = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bothEmbedding = new CountDownLatch(2);
        HeldOutScorer.EmbeddingFunction embed = (pixels, count, perImage) -> {
            bothEmbedding.countDown();
            return identity(counts).embed(pixels, count, perImage);
        };
        List<Boolean> otherStarted = new ArrayList<>();
        scorer(schedule).score(manifest(), images, embed, HeldOutScorer.EmbeddingSink.NONE, result -> {
            if (otherStarted.isEmpty()) {
                otherStarted.add(bothEmbedding.await(30, TimeUnit.SECONDS));
            }
        });

        assertThat(otherStarted).containsExactly(true);
        assertThat(counts).hasSize(2);
    }

    @Test
    void sequentialEmbedsTheValidationSplitOnlyAfterTheTestResultIsHandedOn() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        HeldOutScorer.EmbeddingFunction embed = (pixels, count, perImage) -> {
            events.add("embed " + count);
            return new Embeddings(pixels, count, perImage);
        };
        scorer(SplitSchedule.SEQUENTIAL).score(manifest(), images, embed, HeldOutScorer.EmbeddingSink.NONE,
                result -> events.add("result " + result.getSplit()));

        // TinyDataset: 10 classes x 6 images, test classes 5-9 (30 images)
        assertThat(events).hasSize(4);
        assertThat(events.subList(0, 2)).containsExactly("embed 30", "result SPLIT_TEST");
        assertThat(events.get(2)).startsWith("embed ").isNotEqualTo("embed 30");
        assertThat(events.get(3)).isEqualTo("result SPLIT_VALIDATION");
    }

    @ParameterizedTest
    @EnumSource(SplitSchedule.class)
    void aFailingValidationSplitFailsTheScoringAfterTheTestResultWasHandedOn(SplitSchedule schedule) {
        List<EvaluationResult> handed = Collections.synchronizedList(new ArrayList<>());
        HeldOutScorer.EmbeddingFunction embed = (pixels, count, perImage) -> {
            if (count != 30) { // not the test split's 30 images
                throw new IllegalStateException("validation embedding exploded");
            }
            return new Embeddings(pixels, count, perImage);
        };

        assertThatThrownBy(() -> scorer(schedule).score(manifest(), images, embed, HeldOutScorer.EmbeddingSink.NONE,
                handed::add)).hasMessage("validation embedding exploded");
        if (schedule != SplitSchedule.CONCURRENT) {
            assertThat(handed).extracting(EvaluationResult::getSplit).containsExactly(Split.SPLIT_TEST);
        }
    }

    @Test
    void theSettingNamesAScheduleAndAnyOtherNameIsRefused() {
        assertThat(ScorerProducer.schedule(" overlapped ")).isEqualTo(SplitSchedule.OVERLAPPED);
        assertThatThrownBy(() -> ScorerProducer.schedule("parallel"))
                .hasMessageContaining("split-schedule is 'parallel'").hasMessageContaining("CONCURRENT");
    }
}
