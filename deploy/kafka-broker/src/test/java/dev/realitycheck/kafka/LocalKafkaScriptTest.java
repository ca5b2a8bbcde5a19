package dev.realitycheck.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy/local/kafka start|status|stop}, round trip, on a free port and a temp state dir. */
class LocalKafkaScriptTest {

  @TempDir
  Path state;

  private final Path script = repositoryRoot().resolve("deploy/local/kafka");

  @AfterEach
  void stopWhateverIsLeft() throws Exception {
    run("stop"); // never leave a broker behind, even when an assertion failed
  }

  @Test
  void startStatusStopRoundTrip() throws Exception {
    int port = freePort();
    Result stopped = run("status");
    assertThat(stopped.exit).isEqualTo(3);
    assertThat(stopped.out).isEqualTo("kafka: stopped");

    Result started = run("start", port);
    assertThat(started.exit).as(started.out).isZero();
    assertThat(started.out).startsWith("kafka: running (pid ").contains("bootstrap 127.0.0.1:" + port);
    long pid = Long.parseLong(Files.readString(state.resolve("kafka.pid")).trim());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

    Result again = run("start", port);
    assertThat(again.exit).isZero();
    assertThat(again.out).isEqualTo("kafka: already running (pid " + pid + ", bootstrap 127.0.0.1:" + port + ")");

    Result status = run("status");
    assertThat(status.exit).isZero();
    assertThat(status.out).isEqualTo("kafka: running (pid " + pid + ", bootstrap 127.0.0.1:" + port + ")");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + port))) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
    }
    assertThat(state.resolve("broker.log")).content(StandardCharsets.UTF_8).contains("Kafka Server started");
    assertThat(state.resolve("data/kraft-combined-logs/meta.properties")).exists();

    Result stop = run("stop");
    assertThat(stop.exit).isZero();
    assertThat(stop.out).startsWith("kafka: stopped (pid " + pid + ")");
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();

    assertThat(run("stop").out).isEqualTo("kafka: stopped");
    assertThat(run("status").exit).isEqualTo(3);
  }

  private record Result(int exit, String out) {
  }

  private Result run(String command) throws IOException, InterruptedException {
    return run(command, 0);
  }

  private Result run(String command, int port) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(script.toString(), command).redirectErrorStream(true);
    pb.environment().put("KAFKA_STATE_DIR", state.toString());
    if (port != 0) {
      pb.environment().put("KAFKA_PORT", Integer.toString(port));
    }
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("deploy/local/kafka " + command + " did not finish within 90 s");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
  }

  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("deploy/local/kafka"))) {
        return dir;
      }
    }
    throw new IllegalStateException("deploy/local/kafka not found above " + Path.of("").toAbsolutePath());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

}
