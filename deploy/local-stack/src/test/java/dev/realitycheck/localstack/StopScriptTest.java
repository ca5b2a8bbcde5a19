package dev.realitycheck.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/local/stop} after an interrupted run: every process a pid file names that still
 * carries the run directory's marker is stopped with its children and its pid file removed; a
 * pid file naming any other process (a recycled pid) only loses its file, the process lives on.
 */
class StopScriptTest {

    @TempDir
    Path dir;

    @Test
    void recordedProcessesOfThisRunAreStoppedWithTheirChildrenAndOthersAreLeftAlone() throws Exception {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        run.prepare();
        // a "service" left behind: its command line carries the marker, and it has a child
        Process leftBehind = new ProcessBuilder("bash", "-c", "sleep 600 & wait", run.marker()).start();
        List<ProcessHandle> tree = ProcessTreesTest.treeOf(leftBehind, 1);
        run.writePid("trainer-service", leftBehind.pid());
        // a pid file naming a process that is not ours: this very JVM
        run.writePid("evaluation-service", ProcessHandle.current().pid());

        Path script = Path.of(System.getProperty("realitycheck.repository-root", "../..")).resolve("deploy/local/stop");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("REALITYCHECK_RUN_DIR", run.root().toString());
        pb.environment().put("STOP_GRACE", "10");
        Process stop = pb.start();
        String output = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(stop.exitValue()).as(output).isZero();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        assertThat(output).contains("stopping trainer-service (pid " + leftBehind.pid() + ")",
                "evaluation-service (pid " + ProcessHandle.current().pid() + ") is not running");
        try (var files = Files.list(run.pids())) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
