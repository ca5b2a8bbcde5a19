package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.SearchSpace;
import dev.realitycheck.proto.v1.SplitSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Following an experiment's runs from ListRuns snapshots, runs that appear later included. */
class ExperimentFollowerTest {

    private static final long S = 1_000_000_000L;

    private static Run run(String id, RunState state, long iteration, Double best) {
        RunProgress.Builder p = RunProgress.newBuilder().setIteration(iteration).setTotalIterations(100);
        if (best != null) {
            p.setBestValidationMapAtR(best);
        }
        return Run.newBuilder().setSpec(RunSpec.newBuilder().setRunId(id)).setState(state).setProgress(p).build();
    }

    @Test
    void itFollowsRunsAddedLaterUntilTheExpectedRunsAreFinalAndNoneAppears() {
        StringWriter text = new StringWriter();
        ExperimentFollower f = new ExperimentFollower(3, 5 * S, 10 * S, new PrintWriter(text));
        assertThat(f.update(List.of(run("a", RunState.RUN_STATE_RUNNING, 10, null)), 0)).isFalse();
        assertThat(f.update(List.of(run("a", RunState.RUN_STATE_RUNNING, 20, null)), S)).isFalse(); // too soon for a line
        assertThat(f.update(List.of(run("a", RunState.RUN_STATE_RUNNING, 30, 0.25)), 2 * S)).isFalse(); // new best: a line
        assertThat(f.update(List.of(run("a", RunState.RUN_STATE_SUCCEEDED, 100, 0.25),
                run("b", RunState.RUN_STATE_SUCCEEDED, 100, 0.5)), 3 * S)).isFalse(); // only 2 of 3 runs
        List<Run> all = List.of(run("a", RunState.RUN_STATE_SUCCEEDED, 100, 0.25),
                run("b", RunState.RUN_STATE_SUCCEEDED, 100, 0.5), run("c", RunState.RUN_STATE_FAILED, 3, null));
        assertThat(f.update(all, 4 * S)).isFalse(); // all final, but a search may still add runs
        assertThat(f.update(all, 14 * S)).isTrue();

        List<String> lines = text.toString().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("a ").contains("it 10/100", "RUNNING");
        assertThat(lines.get(1)).contains("it 30/100", "best val MAP@R 0.2500");
        assertThat(lines.get(2)).contains("SUCCEEDED");
        assertThat(lines.get(3)).startsWith("b ").contains("best val MAP@R 0.5000");
        assertThat(lines.get(4)).startsWith("c ").contains("FAILED");
    }

    @Test
    void theExpectedRunsCountReproductionsAndSearchTrialsPerFold() {
        ExperimentSpec spec = ExperimentSpec.newBuilder()
                .setDataset(DatasetSpec.newBuilder().setSplit(SplitSpec.newBuilder().setFolds(4)))
                .addLosses(LossConfig.newBuilder().setName("a"))
                .addLosses(LossConfig.newBuilder().setName("b").setSearch(SearchSpace.newBuilder().setTrials(5)))
                .setReproductions(3).build();
        assertThat(ExperimentFollower.expectedRuns(spec, List.of())).isEqualTo(4 * 3 + 4 * 3 + 5 * 4);
        ExperimentSpec twoFolds = spec.toBuilder().setDataset(DatasetSpec.newBuilder()
                .setSplit(SplitSpec.newBuilder().addRunFolds(1))).build();
        assertThat(ExperimentFollower.expectedRuns(twoFolds, List.of(RunSpec.newBuilder().setFoldCount(2).build())))
                .isEqualTo(3 + 3 + 5);
    }
}
