package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void readsUserPlusSystemTicksAfterANameWithSpacesAndParentheses() {
        // pid (comm) state ppid ... utime (14th field) stime (15th): 1234 + 66 ticks of 1/100 s
        String stat = "4242 (C2 Compiler) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 66 0 0 20 0 30 0 100 0 0";
        assertThat(ThreadCpu.seconds(stat)).isEqualTo(13.0);
    }

    @Test
    void groupsThreadsByTheirKernelNames() {
        assertThat(ThreadCpu.group("vert.x-eventloo")).isEqualTo("event loops");
        assertThat(ThreadCpu.group("embedding-batch")).isEqualTo("batcher");
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo(ThreadCpu.JIT);
        assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("GC and VM");
        assertThat(ThreadCpu.group("embedding-model")).isEqualTo("TensorFlow");
        assertThat(ThreadCpu.group("kafka-admin-cl7")).isEqualTo("other (kafka-admin-clN)");
    }

    @Test
    void thisJvmsLiveThreadsUseNoMoreThanTheProcessAndFormatPerRequest() throws Exception {
        long pid = ProcessHandle.current().pid();
        Map<String, Double> groups = ThreadCpu.byGroup(pid);
        double process = ThreadCpu.seconds(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat")));
        assertThat(groups).containsKey(ThreadCpu.JIT); // this JVM has compiled something by now
        assertThat(groups.values()).allSatisfy(s -> assertThat(s).isNotNegative());
        // the process also counts threads that ended; read after the threads, so it can only be larger
        double threads = groups.values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(threads).isLessThanOrEqualTo(process * 1.02 + 0.1); // each thread's ticks are rounded apart
        assertThat(ThreadCpu.perRequest(Map.of("batcher", 0.5, "event loops", 1.0), 1000))
                .isEqualTo("event loops 1000, batcher 500");
    }
}
