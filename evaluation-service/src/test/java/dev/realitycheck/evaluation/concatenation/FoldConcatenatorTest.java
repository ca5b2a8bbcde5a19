package dev.realitycheck.evaluation.concatenation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.evaluation.scoring.TestEmbeddingCache;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The concatenated evaluation: per-model L2 normalisation, fold choice on validation only, cached embeddings joined. */
class FoldConcatenatorTest {

    private static EvaluationResult validation(String checkpoint, int fold, double map) {
        return EvaluationResult.newBuilder().setEvaluationId(checkpoint + "/validation").setCheckpointId(checkpoint)
                .setRunId("run-f" + fold).setExperimentId("e").setLossName("l").setFold(fold).setFoldCount(2)
                .setSplit(Split.SPLIT_VALIDATION).setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(map)).build();
    }

    private static Embeddings random(Random rnd, int rows, int dim, float scale) {
        float[] v = new float[rows * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return new Embeddings(v, rows, dim);
    }

    @Test
    void eachModelIsNormalisedOnItsOwnBeforeConcatenation() {
        Embeddings a = new Embeddings(new float[] {3, 4, 0, 2}, 2, 2);
        Embeddings b = new Embeddings(new float[] {10, 0, 0, 0, 0, -1}, 2, 3);

        Embeddings joined = FoldConcatenator.concatenateNormalised(List.of(a, b));

        assertThat(joined.dim()).isEqualTo(5);
        assertThat(joined.values()).containsExactly(0.6f, 0.8f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, -1f);
    }

    @Test
    void eachFoldsCheckpointIsChosenOnValidationAndAMissingFoldMeansNotReady() {
        List<EvaluationResult> results = List.of(validation("a1", 0, 0.3), validation("a2", 0, 0.5),
                validation("b1", 1, 0.4));

        Optional<List<EvaluationResult>> chosen = FoldConcatenator.chosenPerFold(results, 2);

        assertThat(chosen.orElseThrow()).extracting(EvaluationResult::getCheckpointId).containsExactly("a2", "b1");
        assertThat(FoldConcatenator.chosenPerFold(results.subList(0, 2), 2)).isEmpty();
        EvaluationResult test = validation("t", 1, 0.9).toBuilder().setSplit(Split.SPLIT_TEST).build();
        assertThatThrownBy(() -> FoldConcatenator.chosenPerFold(List.of(validation("a1", 0, 0.3), test), 2))
                .hasMessageContaining("must only see validation results");
    }

    @Test
    void theConcatenationOfCachedEmbeddingsIsEvaluatedAsOneEmbedding() throws Exception {
        Path dir = Files.createTempDirectory("cache");
        TestEmbeddingCache cache = new TestEmbeddingCache(dir, 1 << 20);
        Random rnd = new Random(42);
        int[] labels = {5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8};
        Embeddings a = random(rnd, labels.length, 3, 1f);
        Embeddings b = random(rnd, labels.length, 4, 100f); // a larger scale must not dominate
        cache.put("a2", a, labels);
        cache.put("b1", b, labels);
        FoldConcatenator concatenator = new FoldConcatenator(cache, new HeldOutScorer(1, new int[] {1, 2}, new SimpleMeterRegistry()));
        ConcatenationGroup group = new ConcatenationGroup("e", "l", 3, OptionalInt.empty());

        EvaluationResult r = concatenator.concatenate(group, List.of(validation("a2", 0, 0.5), validation("b1", 1, 0.4)));

        RetrievalReport expected = RetrievalEvaluator.standard(KnnDistance.COSINE, 1, 2).evaluate(RetrievalTask.sameSet(
                FoldConcatenator.concatenateNormalised(List.of(a, b)), labels));
        assertThat(r.getMetrics().getMeanAveragePrecisionAtR())
                .isCloseTo(expected.metrics().get("mean_average_precision_at_r"), within(1e-12));
        assertThat(r.getConcatenated()).isTrue();
        assertThat(r.getSourceCheckpointIdsList()).containsExactly("a2", "b1");
        assertThat(r.getEvaluationId()).isEqualTo("concat:e/l/3/test");
        assertThat(r.getSplit()).isEqualTo(Split.SPLIT_TEST);
        assertThat(r.getMetrics().getQueryCount()).isEqualTo(labels.length);
        assertThatThrownBy(() -> concatenator.concatenate(group, List.of(validation("a2", 0, 0.5), validation("zz", 1, 0.4))))
                .isInstanceOf(FoldConcatenator.NotReady.class).hasMessageContaining("zz");
    }
}
