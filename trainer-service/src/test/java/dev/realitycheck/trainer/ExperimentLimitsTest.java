package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.HyperparameterRange;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.SearchSpace;
import dev.realitycheck.trainer.experiments.ExperimentLimits;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.trainer.runs.SpecLimitException;
import dev.realitycheck.trainer.training.RunDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@link ExperimentLimits} bound, on the tiny dataset with tight limits: one over is refused
 * naming the field, value, limit and setting; a spec exactly at every bound is expanded into runs.
 */
class ExperimentLimitsTest {

    /** Runs 4, seeds 2, iterations 20, embedding 8, hidden 16, batch 8, folds 2, trials 1. */
    private static final ExperimentLimits TIGHT = new ExperimentLimits(4, 2, 20, 8, 16, 8, 2, 1);

    private static ExperimentValidator validator;
    private static Path missing;

    @BeforeAll
    static void dataset() throws Exception {
        Path dir = TinyDataset.write(Files.createTempDirectory("tiny-limits"), 10, 14, Specs.SIDE, 3);
        missing = dir.resolve("does-not-exist");
        validator = new ExperimentValidator(new RunDatasets(Map.of("tiny", dir)), TIGHT);
    }

    /** Two folds x two seeds of one loss, 20 iterations, embedding 8, batch 8, hidden 16: every bound reached. */
    private static ExperimentSpec.Builder atEveryBound() {
        ExperimentSpec.Builder spec = Specs.tiny("tiny", 20, 10).clearSeeds().addSeeds(0).addSeeds(1);
        spec.getDatasetBuilder().getSplitBuilder().clearRunFolds();
        return spec;
    }

    @Test
    void aSpecAtEveryBoundIsAccepted() {
        assertThat(validator.validate("e", atEveryBound().build(), Timestamp.getDefaultInstance())).hasSize(4);
        assertThat(validator.validate("e", atEveryBound().clearSeeds().setReproductions(2).build(),
                Timestamp.getDefaultInstance())).hasSize(4);
        // a searched loss at its trial bound: 2 losses x 1 fold x 1 seed + 1 trial x 1 fold = 3 runs counted;
        // only the plain loss's run is planned up front (the search publishes its own)
        ExperimentSpec.Builder searched = Specs.tiny("tiny", 20, 10).addLosses(LossConfig.newBuilder().setName("s")
                .setLoss("contrastive").setSearch(SearchSpace.newBuilder().setTrials(1).putRanges("neg_margin",
                        HyperparameterRange.newBuilder().setMin(0.1).setMax(2).build())));
        assertThat(validator.validate("e", searched.build(), Timestamp.getDefaultInstance())).hasSize(1);
    }

    @Test
    void eachBoundRefusesOneMoreNamingFieldValueAndSetting() {
        assertOver(s -> s.getSettingsBuilder().setIterations(21), "settings.iterations", 21, 20, "max-iterations");
        assertOver(s -> s.getSettingsBuilder().setEmbeddingSize(9), "settings.embedding_size", 9, 8, "max-embedding-size");
        assertOver(s -> s.getSettingsBuilder().setBatchSize(12), "settings.batch_size", 12, 8, "max-batch-size");
        assertOver(s -> s.getSettingsBuilder().putExtra("mlp_hidden", 17), "settings.extra[\"mlp_hidden\"]", 17, 16,
                "max-hidden-size");
        assertOver(s -> s.getDatasetBuilder().getSplitBuilder().setFolds(3), "dataset.split.folds", 3, 2, "max-folds");
        assertOver(s -> s.getDatasetBuilder().getSplitBuilder().addRunFolds(0).addRunFolds(1).addRunFolds(2), "dataset.split.run_folds",
                3, 2, "max-folds");
        assertOver(s -> s.addSeeds(2), "seeds", 3, 2, "max-seeds");
        assertOver(s -> s.clearSeeds().setReproductions(100_000), "reproductions", 100_000, 2, "max-seeds");
        assertOver(s -> s.addLosses(LossConfig.newBuilder().setName("s").setLoss("contrastive")
                .setSearch(SearchSpace.newBuilder().setTrials(2))), "losses[1].search.trials", 2, 1, "max-trials");
        assertOver(s -> s.addLosses(LossConfig.newBuilder().setName("ms").setLoss("multi_similarity")),
                "runs (losses x folds x (seeds + search trials))", 8, 4, "max-runs");
    }

    @Test
    void boundsAreCheckedBeforeTheDatasetIsRead() {
        ExperimentSpec.Builder spec = atEveryBound().clearSeeds().setReproductions(3);
        spec.getDatasetBuilder().clearName().setPath(missing.toString());
        assertThatThrownBy(() -> validator.validate("e", spec.build(), Timestamp.getDefaultInstance()))
                .isInstanceOf(SpecLimitException.class).hasMessageContaining("reproductions is 3");
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ExperimentLimits(0, 1, 1, 1, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
    }

    private static void assertOver(Consumer<ExperimentSpec.Builder> change, String field, long value, long limit,
            String setting) {
        ExperimentSpec.Builder spec = atEveryBound();
        change.accept(spec);
        assertThatThrownBy(() -> validator.validate("e", spec.build(), Timestamp.getDefaultInstance()))
                .isInstanceOfSatisfying(SpecLimitException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).isEqualTo(field + " is " + value + ", over the limit " + limit
                            + " (realitycheck.trainer.limits." + setting + ")");
                });
    }
}
