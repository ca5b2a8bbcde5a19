package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.HyperparameterRange;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.SearchSpace;
import dev.realitycheck.trainer.experiments.ExperimentLimits;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.trainer.runs.InvalidSpecException;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.trainer.training.RunDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Experiments with a searched loss: StartExperiment queues no runs for it up front (the search
 * coordinator publishes its trials), and a search space that cannot run is refused naming the field.
 */
class SearchSpecValidationTest {

    private static ExperimentValidator validator;

    @BeforeAll
    static void dataset() throws Exception {
        Path dir = TinyDataset.write(Files.createTempDirectory("tiny-search"), 10, 14, Specs.SIDE, 3);
        validator = new ExperimentValidator(new RunDatasets(Map.of("tiny", dir)), ExperimentLimits.DEFAULTS);
    }

    static ExperimentSpec.Builder withSearch(String loss, String name, HyperparameterRange range, int trials) {
        return Specs.tiny("tiny", 20, 10).addLosses(LossConfig.newBuilder().setName("searched").setLoss(loss)
                .setSearch(SearchSpace.newBuilder().setTrials(trials).putRanges(name, range)));
    }

    static HyperparameterRange range(double min, double max, boolean log) {
        return HyperparameterRange.newBuilder().setMin(min).setMax(max).setLogScale(log).build();
    }

    @Test
    void aSearchedLossGetsNoRunsUpFront() {
        List<RunSpec> runs = validator.validate("exp-s", withSearch("contrastive", "neg_margin", range(0.1, 2, true), 5)
                .build(), Timestamp.getDefaultInstance());
        assertThat(runs).extracting(RunSpec::getRunId).containsExactly("exp-s.contrastive.fold0.seed0");
        assertThat(RunPlanner.trialRunId("exp-s", "Searched Loss", 3, 1)).isEqualTo("exp-s.searched_loss.trial3.fold1");
    }

    @Test
    void badSearchSpacesAreRefusedNamingTheField() {
        assertInvalid(withSearch("contrastive", "neg_margin", range(0.1, 2, false), 0), "losses[1].search.trials",
                "must be > 0");
        assertInvalid(withSearch("contrastive", "nope", range(0.1, 2, false), 3), "losses[1].search.ranges[\"nope\"]",
                "has no hyperparameter nope");
        assertInvalid(withSearch("contrastive", "neg_margin", range(2, 1, false), 3),
                "losses[1].search.ranges[\"neg_margin\"]", "max (1.0) must be >= min (2.0)");
        assertInvalid(withSearch("contrastive", "neg_margin", range(0, 1, true), 3),
                "losses[1].search.ranges[\"neg_margin\"]", "min must be > 0 on a log scale");
        // the range's low end cannot make a loss: NT-Xent needs a positive temperature
        assertInvalid(withSearch("ntxent", "temperature", range(-1, 1, false), 3), "losses[1].hyperparameters",
                "temperature");
    }

    private static void assertInvalid(ExperimentSpec.Builder spec, String field, String message) {
        assertThatThrownBy(() -> validator.validate("e", spec.build(), Timestamp.getDefaultInstance()))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
