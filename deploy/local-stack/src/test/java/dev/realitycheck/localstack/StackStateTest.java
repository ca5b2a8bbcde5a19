package dev.realitycheck.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state file of {@code bin/realitycheck up}: written and read back equal, absent as empty, a
 * file that is not one named in the error, invalid values refused by the constructors, and the
 * supervisor's liveness taken from the process table.
 */
class StackStateTest {

    @TempDir
    Path dir;

    @Test
    void aStateRoundTripsThroughItsFile() {
        RunDirectory run = new RunDirectory(dir);
        StackState state = state(ProcessHandle.current().pid());

        state.write(run.stateFile());

        assertThat(run.stateFile()).isEqualTo(dir.resolve("stack.properties"));
        assertThat(StackState.read(run.stateFile())).contains(state);
        assertThat(state.supervisorAlive()).isTrue();
        assertThat(state.partPids()).containsExactly(7L, 11L, 13L, 12L);
        assertThat(state.service(StackService.EMBEDDING).address()).isEqualTo("127.0.0.1:8082");
        assertThat(StackState.read(dir.resolve("none.properties"))).isEmpty();
    }

    @Test
    void aFileThatIsNotAStateIsNamedAndBadValuesAreRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("stack.properties"), "supervisor.pid=x\n");

        assertThatThrownBy(() -> StackState.read(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + " is not a local stack's state");
        assertThatThrownBy(() -> new StackState.Endpoint(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StackState(1, dir, "127.0.0.1:9092", 0, Map.of(), Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every service needs an endpoint");
    }

    @Test
    void aSupervisorThatExitedIsNotAlive() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertThat(finished.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(state(finished.pid()).supervisorAlive()).isFalse();
    }

    private StackState state(long supervisorPid) {
        Map<StackService, StackState.Endpoint> endpoints = new EnumMap<>(StackService.class);
        endpoints.put(StackService.TRAINER, new StackState.Endpoint(11, 8081));
        endpoints.put(StackService.EMBEDDING, new StackState.Endpoint(12, 8082));
        endpoints.put(StackService.EVALUATION, new StackState.Endpoint(13, 8083));
        return new StackState(supervisorPid, dir, "127.0.0.1:9092", 7, endpoints, Instant.parse("2026-01-01T00:00:00Z"));
    }
}
