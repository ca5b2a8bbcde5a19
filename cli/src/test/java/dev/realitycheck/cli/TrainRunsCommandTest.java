package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunState;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} and {@code runs}: a spec file that is not an ExperimentSpec is a one-line error with
 * exit code 2, an absent trainer is one line naming its address, exit code 1. (The service side is tested in
 * trainer-service through a real broker.)
 */
@QuarkusMainTest
class TrainRunsCommandTest {

    @TempDir
    Path dir;

    @Test
    void aSpecThatIsNotAnExperimentSpecIsRejected(QuarkusMainLauncher launcher) throws IOException {
        Path bad = Files.writeString(dir.resolve("spec.json"), "{\"losses\": [{\"nam\": \"contrastive\"}]}");

        LaunchResult result = launcher.launch("train", "--server", "127.0.0.1:1", "--spec", bad.toString());
        LaunchResult missing = launcher.launch("train", "--server", "127.0.0.1:1", "--spec", dir.resolve("no.json").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("spec.json: not an ExperimentSpec").contains("nam");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.getErrorOutput()).contains("no.json: no such file");
    }

    @Test
    void anAbsentTrainerIsUnavailableNotAHang(QuarkusMainLauncher launcher) throws IOException {
        Path spec = Files.writeString(dir.resolve("spec.json"), """
                {"name": "t", "dataset": {"name": "fashion-mnist"}, "settings": {"iterations": 10},
                 "losses": [{"name": "contrastive"}], "seeds": [0]}""");

        LaunchResult train = launcher.launch("train", "--server", "127.0.0.1:1", "--spec", spec.toString());
        LaunchResult runs = launcher.launch("runs", "--server", "127.0.0.1:1");
        LaunchResult badState = launcher.launch("runs", "--server", "127.0.0.1:1", "--state", "sleeping");

        assertThat(train.exitCode()).isEqualTo(1);
        assertThat(train.getErrorOutput().strip())
                .isEqualTo("realitycheck train: nothing answers at 127.0.0.1:1; start the local stack with bin/realitycheck up");
        assertThat(runs.exitCode()).isEqualTo(1);
        assertThat(runs.getErrorOutput().strip())
                .isEqualTo("realitycheck runs: nothing answers at 127.0.0.1:1; start the local stack with bin/realitycheck up");
        assertThat(badState.exitCode()).isEqualTo(2);
        assertThat(badState.getErrorOutput()).contains("--state must be one of");
    }

    @Test
    void aProgressLineShowsTheBarIterationLossAndSpeed() {
        String line = ProgressLine.of(RunProgress.newBuilder().setRunId("r").setState(RunState.RUN_STATE_RUNNING)
                .setIteration(10).setTotalIterations(20).setLoss(0.5).setImagesPerSecond(1234.4).build());

        assertThat(line).isEqualTo("r  [" + "#".repeat(15) + ".".repeat(15) + "]  50%  it 10/20  loss 0.5000  1234 img/s  RUNNING");
    }
}
