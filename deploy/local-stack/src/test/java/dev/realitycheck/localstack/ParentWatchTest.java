package dev.realitycheck.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ParentWatch}: a service JVM exits by itself when the process that started it is killed
 * with SIGKILL (which runs no shutdown hook), and refuses to start for a parent already gone.
 */
class ParentWatchTest {

    @TempDir
    Path dir;

    @Test
    void theChildExitsWhenItsParentIsKilled() throws Exception {
        Path log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        // bash stands for the launcher: it starts the watched JVM with its own pid ($$) as the parent
        Process parent = new ProcessBuilder("bash", "-c", "'" + java + "' -cp '" + classpath + "' "
                + ParentWatch.class.getName() + " $$ " + BlockForever.class.getName() + " hello > '" + log + "' 2>&1 & wait")
                .start();
        List<ProcessHandle> tree = ProcessTreesTest.treeOf(parent, 1);
        ProcessHandle child = tree.get(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains("started hello"));

        parent.destroyForcibly().waitFor();

        await().atMost(Duration.ofSeconds(30)).until(() -> !child.isAlive());
        assertThat(Files.readString(log)).contains("that started this one exited; shutting down");
    }

    @Test
    void aChildWhoseParentIsGoneDoesNotStart() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParentWatch.class.getName(), Long.toString(gone.pid()),
                BlockForever.class.getName(), "x").redirectErrorStream(true).start();

        String output = new String(child.getInputStream().readAllBytes());

        assertThat(child.waitFor()).isEqualTo(1);
        assertThat(output).contains("is gone; not starting").doesNotContain("started x");
    }
}
