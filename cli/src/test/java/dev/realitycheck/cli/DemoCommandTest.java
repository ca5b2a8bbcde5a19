package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.LeaderboardEntry;
import dev.realitycheck.proto.v1.MetricSummary;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo}'s own parts: a spec it cannot read stops it before anything starts (exit 2), the
 * checkpoints it waits for, and its evaluation and leaderboard lines. (The pipeline it runs is
 * tested in the e2e module; the whole demo is run by hand, its output is in the README.)
 */
@QuarkusMainTest
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void aSpecThatCannotBeReadStopsTheDemoBeforeAnythingStarts(QuarkusMainLauncher launcher) throws IOException {
        Path bad = Files.writeString(dir.resolve("spec.json"), "{\"losses\": [{\"nam\": \"contrastive\"}]}");

        LaunchResult missing = launcher.launch("demo", "--spec", dir.resolve("none.json").toString());
        LaunchResult malformed = launcher.launch("demo", "--spec", bad.toString());

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.getErrorOutput()).contains("none.json: no such file");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.getErrorOutput()).contains("spec.json: not an ExperimentSpec: ");
        assertThat(missing.getOutput() + malformed.getOutput()).doesNotContain("pipeline:");
    }

    @Test
    void theDemoWaitsForEveryIntervalCheckpointAndTheLastOne() {
        assertThat(DemoCommand.checkpointIds("r", 300, 600)).containsExactly("r.it300", "r.it600");
        assertThat(DemoCommand.checkpointIds("r", 250, 600)).containsExactly("r.it250", "r.it500", "r.it600");
        assertThat(DemoCommand.checkpointIds("r", 0, 600)).containsExactly("r.it600");
        assertThat(DemoCommand.checkpointIds("r", 300, 0)).isEmpty();
    }

    @Test
    void anEvaluationIsOneLineWithRunSplitIterationMapAtRAndPrecisionAtOne() {
        EvaluationResult result = EvaluationResult.newBuilder().setRunId("exp.ms.fold0.seed1").setSplit(Split.SPLIT_TEST)
                .setIteration(600).setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(0.41234).setPrecisionAt1(0.7))
                .build();
        EvaluationResult baseline = result.toBuilder().setBaseline(true).setLossName("raw-pixels").setFold(1)
                .setSplit(Split.SPLIT_VALIDATION).setIteration(0).build();
        EvaluationResult failed = result.toBuilder().clearMetrics().setError("corrupt checkpoint").build();

        assertThat(EvaluationFollower.line(result)).matches("evaluation  exp\\.ms\\.fold0\\.seed1 +test +it 600 +MAP@R 0\\.4123  P@1 0\\.7000");
        assertThat(EvaluationFollower.line(baseline)).matches("evaluation  baseline raw-pixels \\(fold 1\\) +validation +it 0 +MAP@R.*");
        assertThat(EvaluationFollower.line(failed)).endsWith("ERROR corrupt checkpoint");
    }
}
