package dev.realitycheck.train.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.train.MPerClassSampler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pipeline's determinism across worker counts, its order, its prefetch bound, its errors and its shutdown. */
class ImagePipelineTest {

    private static final InputSpec SPEC = InputSpec.image(28, 28, 3, Preprocessing.imagenet());
    private static final MemoryImages IMAGES = new MemoryImages(36, 6, 11);

    private static List<ImageBatch> training(long seed, int workers, int batches) throws Exception {
        MPerClassSampler sampler = new MPerClassSampler(IMAGES.labels(), 2, 8, 7);
        List<ImageBatch> out = new ArrayList<>();
        try (ImagePipeline pipeline = new ImagePipeline(IMAGES, BatchPlan.sampled(sampler),
                TrainingTransform.forInput(SPEC), Normalisation.of(SPEC), seed, 0, workers, workers + 1)) {
            for (int i = 0; i < batches; i++) {
                out.add(pipeline.next());
            }
        }
        return out;
    }

    @Test
    void oneAndThreeWorkersGiveBitIdenticalBatchesAndAnotherSeedDiffers() throws Exception {
        List<ImageBatch> one = training(42, 1, 6);
        List<ImageBatch> three = training(42, 3, 6);
        List<ImageBatch> other = training(43, 3, 6);
        for (int i = 0; i < 6; i++) {
            assertThat(three.get(i).index()).isEqualTo(i);
            assertThat(three.get(i).indices()).isEqualTo(one.get(i).indices());
            assertThat(three.get(i).labels()).isEqualTo(one.get(i).labels());
            assertThat(three.get(i).values()).isEqualTo(one.get(i).values());
            // the sampler's seed is the same, so the images are; the transforms' draws are not
            assertThat(other.get(i).indices()).isEqualTo(one.get(i).indices());
            assertThat(other.get(i).values()).isNotEqualTo(one.get(i).values());
        }
        assertThat(one.get(0).shape().asArray()).containsExactly(8, 28, 28, 3);
    }

    @Test
    void aResumedPipelineContinuesTheSameBatches() throws Exception {
        List<ImageBatch> whole = training(5, 2, 4);
        MPerClassSampler sampler = new MPerClassSampler(IMAGES.labels(), 2, 8, 7);
        try (ImagePipeline resumed = new ImagePipeline(IMAGES, BatchPlan.sampled(sampler),
                TrainingTransform.forInput(SPEC), Normalisation.of(SPEC), 5, 2, 2, 2)) {
            assertThat(resumed.next().values()).isEqualTo(whole.get(2).values());
            assertThat(resumed.next().values()).isEqualTo(whole.get(3).values());
        }
    }

    @Test
    void evaluationDeliversEveryImageOnceInOrderThenStops() throws Exception {
        EvaluationTransform eval = EvaluationTransform.forInput(SPEC);
        Normalisation raw = Normalisation.rawPixels(SPEC);
        try (ImagePipeline pipeline = new ImagePipeline(IMAGES, BatchPlan.sequential(IMAGES.size(), 10), eval, raw,
                0, 0, 2, 3)) {
            int seen = 0;
            while (pipeline.hasNext()) {
                ImageBatch batch = pipeline.next();
                for (int k = 0; k < batch.count(); k++) {
                    assertThat(batch.indices()[k]).isEqualTo(seen);
                    assertThat(batch.labels()[k]).isEqualTo(IMAGES.label(seen));
                    float[] expected = new float[28 * 28 * 3];
                    raw.write(eval.apply(IMAGES.read(seen), null), expected, 0);
                    float[] item = Arrays.copyOfRange(batch.values(), k * expected.length,
                            (k + 1) * expected.length);
                    assertThat(item).isEqualTo(expected);
                    seen++;
                }
            }
            assertThat(seen).isEqualTo(36);
            assertThatThrownBy(pipeline::next).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void workersStayWithinThePrefetchBound() throws Exception {
        int batchSize = 4;
        int prefetch = 2;
        AtomicInteger reads = new AtomicInteger();
        ImageSource counting = new ReaderImages(IMAGES.labels(), index -> {
            reads.incrementAndGet();
            return IMAGES.read(index);
        });
        try (ImagePipeline pipeline = new ImagePipeline(counting, BatchPlan.sequential(IMAGES.size(), batchSize),
                EvaluationTransform.forInput(SPEC), Normalisation.of(SPEC), 0, 0, 2, prefetch)) {
            pipeline.next();
            // one batch taken: the workers build the next two and then wait for a free slot
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() == (1 + prefetch) * batchSize
                    && pipelineThreadsWaiting());
            assertThat(reads.get()).isEqualTo((1 + prefetch) * batchSize);
        }
    }

    private static boolean pipelineThreadsWaiting() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("image-pipeline-") && t.isAlive())
                .allMatch(t -> t.getState() == Thread.State.WAITING);
    }

    @Test
    void anUnreadableImageFailsTheBatchNamingTheFileAndClosesThePipeline() throws Exception {
        ImageSource broken = new ReaderImages(IMAGES.labels(), index -> {
            if (index == 13) {
                throw new IOException("/data/birds/013.jpg: not a JPEG");
            }
            return IMAGES.read(index);
        });
        try (ImagePipeline pipeline = new ImagePipeline(broken, BatchPlan.sequential(IMAGES.size(), 10),
                EvaluationTransform.forInput(SPEC), Normalisation.of(SPEC), 0, 0, 3, 3)) {
            assertThat(pipeline.next().index()).isZero();
            assertThatThrownBy(pipeline::next).isInstanceOf(IOException.class)
                    .hasMessageContaining("batch 1, image 13")
                    .hasMessageContaining("/data/birds/013.jpg: not a JPEG");
            assertThatThrownBy(pipeline::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void closeStopsEveryWorker() throws Exception {
        MPerClassSampler sampler = new MPerClassSampler(IMAGES.labels(), 2, 8, 7);
        ImagePipeline pipeline = new ImagePipeline(IMAGES, BatchPlan.sampled(sampler), TrainingTransform.forInput(SPEC),
                Normalisation.of(SPEC), 1, 0, 3, 4);
        pipeline.next();
        pipeline.close();
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("image-pipeline-") && t.isAlive())).isEmpty();
        assertThatThrownBy(pipeline::next).isInstanceOf(IllegalStateException.class);
    }
}
