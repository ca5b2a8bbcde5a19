package dev.realitycheck.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ProcessTrees#stop}: the whole tree goes, gracefully or, when SIGTERM is ignored, by SIGKILL. */
class ProcessTreesTest {

    @Test
    void aProcessAndItsChildrenAreStoppedBySigterm() throws Exception {
        Process root = new ProcessBuilder("bash", "-c", "sleep 600 & sleep 600 & wait").start();
        List<ProcessHandle> tree = treeOf(root, 2);

        List<ProcessHandle> survivors = ProcessTrees.stop(root.toHandle(), Duration.ofSeconds(10));

        assertThat(survivors).isEmpty();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aTreeThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        Process root = new ProcessBuilder("bash", "-c", "trap '' TERM; sleep 600 & wait").start();
        List<ProcessHandle> tree = treeOf(root, 1);
        long begin = System.nanoTime();

        List<ProcessHandle> survivors = ProcessTrees.stop(root.toHandle(), Duration.ofMillis(500));

        assertThat(survivors).isEmpty();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    /** The process and its children, once it has started {@code children} of them. */
    static List<ProcessHandle> treeOf(Process root, int children) {
        await().atMost(Duration.ofSeconds(30)).until(() -> root.toHandle().children().count() == children);
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root.toHandle());
        root.toHandle().descendants().forEach(tree::add);
        return tree;
    }
}
