package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.Npy;
import dev.realitycheck.localstack.RunDirectory;
import dev.realitycheck.localstack.StackService;
import dev.realitycheck.localstack.StackState;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands connect to the stack that {@code up} recorded in its state file (here one
 * written by hand, naming this test's JVM as the live supervisor and ports where nothing listens),
 * and when nothing answers they say so in one line naming the address and {@code bin/realitycheck
 * up}. A state file whose supervisor is gone is ignored (and cleaned up); {@code status} and
 * {@code down} without a stack say so ({@code up}, {@code status} and {@code down} against a real
 * stack run in the e2e module's {@code QuickstartEndToEndTest}).
 */
@QuarkusMainTest
class StackDefaultsCommandTest {

    @TempDir
    Path home;

    private String previousHome;
    private RunDirectory dir;
    private final Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
    private int kafkaPort;

    @BeforeEach
    void aCheckoutWithARunDirectory() throws IOException {
        previousHome = System.getProperty(RepositoryRoot.PROPERTY);
        System.setProperty(RepositoryRoot.PROPERTY, home.toString());
        dir = new RunDirectory(home.resolve(".run"));
        for (StackService s : StackService.values()) {
            ports.put(s, closedPort());
        }
        kafkaPort = closedPort();
    }

    @AfterEach
    void restore() {
        if (previousHome == null) {
            System.clearProperty(RepositoryRoot.PROPERTY);
        } else {
            System.setProperty(RepositoryRoot.PROPERTY, previousHome);
        }
    }

    @Test
    void everyClientCommandUsesTheRecordedStackAndNamesItsAddressWhenNothingAnswers(QuarkusMainLauncher launcher)
            throws IOException {
        state(ProcessHandle.current().pid()).write(dir.stateFile());
        Path rows = home.resolve("rows.npy");
        Npy.writeFloatMatrix(rows, 1, 3, new float[] {1, 2, 3});
        Path spec = Files.writeString(home.resolve("spec.json"), """
                {"name": "t", "dataset": {"name": "fashion-mnist"}, "settings": {"iterations": 10},
                 "losses": [{"name": "contrastive"}], "seeds": [0]}""");
        String trainer = "127.0.0.1:" + ports.get(StackService.TRAINER);
        String embedding = "127.0.0.1:" + ports.get(StackService.EMBEDDING);
        String evaluation = "127.0.0.1:" + ports.get(StackService.EVALUATION);

        assertOneLine(launcher.launch("train", "--spec", spec.toString()), "train", trainer);
        assertOneLine(launcher.launch("runs"), "runs", trainer);
        assertOneLine(launcher.launch("report", "exp-1", "--out", home.resolve("r").toString()), "report", evaluation);
        assertOneLine(launcher.launch("experiments"), "experiments", evaluation);
        assertOneLine(launcher.launch("embed", rows.toString()), "embed", embedding);
        assertOneLine(launcher.launch("search", rows.toString()), "search", embedding);
        assertOneLine(launcher.launch("gallery", "--dataset", "fashion-mnist"), "gallery", embedding);

        LaunchResult results = launcher.launch("results", "--timeout", "2");
        assertThat(results.exitCode()).isEqualTo(1);
        assertThat(results.getErrorOutput().strip()).isEqualTo("realitycheck results: no answer from Kafka at 127.0.0.1:"
                + kafkaPort + " within 2 s; start the local stack with bin/realitycheck up");
    }

    @Test
    void aStateFileWhoseSupervisorIsGoneIsIgnoredAndRemoved(QuarkusMainLauncher launcher) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertThat(finished.waitFor(30, TimeUnit.SECONDS)).isTrue();
        state(finished.pid()).write(dir.stateFile());

        assertThat(StackAddresses.current()).isEqualTo(StackAddresses.DEFAULTS);
        LaunchResult status = launcher.launch("status");

        assertThat(status.exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(status.getOutput()).contains("the local stack is not running (bin/realitycheck up starts it)");
        assertThat(dir.stateFile()).doesNotExist();
    }

    @Test
    void downAndStatusWithoutAStackSaySoAndDownSucceeds(QuarkusMainLauncher launcher) {
        LaunchResult down = launcher.launch("down");
        LaunchResult again = launcher.launch("down");
        LaunchResult status = launcher.launch("status");

        assertThat(down.exitCode()).isZero();
        assertThat(down.getOutput()).contains("the local stack is not running");
        assertThat(again.exitCode()).isZero();
        assertThat(status.exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);
    }

    private StackState state(long supervisorPid) {
        Map<StackService, StackState.Endpoint> endpoints = new EnumMap<>(StackService.class);
        ports.forEach((s, port) -> endpoints.put(s, new StackState.Endpoint(supervisorPid, port)));
        return new StackState(supervisorPid, dir.root(), "127.0.0.1:" + kafkaPort, 0, endpoints,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static void assertOneLine(LaunchResult result, String command, String address) {
        assertThat(result.exitCode()).as(command).isEqualTo(1);
        assertThat(result.getErrorOutput().strip()).as(command).isEqualTo("realitycheck " + command + ": nothing answers at "
                + address + "; start the local stack with bin/realitycheck up");
    }

    /** A port nothing listens on: bound, then released (nothing of this test binds it again). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
