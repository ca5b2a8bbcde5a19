package dev.realitycheck.evaluation.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.evaluation.scoring.EvaluationIds;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationStoreTest {

    private static EvaluationResult result(String checkpoint, Split split, double map) {
        return EvaluationResult.newBuilder().setEvaluationId(EvaluationIds.of(checkpoint, split)).setCheckpointId(checkpoint)
                .setRunId("r").setExperimentId("e").setSplit(split)
                .setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(map)).build();
    }

    @Test
    void aRedeliveredResultReplacesItsRowInsteadOfAddingOne() {
        EvaluationStore store = new EvaluationStore();
        store.add(result("ck", Split.SPLIT_VALIDATION, 0.5));
        store.add(result("ck", Split.SPLIT_TEST, 0.4));

        store.add(result("ck", Split.SPLIT_VALIDATION, 0.5));

        assertThat(store.size()).isEqualTo(2);
        assertThat(store.list(r -> true)).extracting(EvaluationResult::getEvaluationId)
                .containsExactly("ck/validation", "ck/test");
    }

    @Test
    void watchersSeeExistingResultsFirstThenNewOnes() {
        EvaluationStore store = new EvaluationStore();
        store.add(result("old", Split.SPLIT_TEST, 0.1));
        List<EvaluationResult> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        store.watch(EvaluationStore.filter("e", "", "", "", Split.SPLIT_TEST), true).subscribe().with(seen::add);

        store.add(result("new", Split.SPLIT_TEST, 0.2));
        store.add(result("new", Split.SPLIT_VALIDATION, 0.3));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).extracting(EvaluationResult::getCheckpointId).containsExactly("old", "new");
    }
}
