package dev.realitycheck.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle of {@link LocalKafkaBroker} without the test helpers. */
class LocalKafkaBrokerTest {

  @Test
  void exitsByItselfWhenItsOwnerDies(@TempDir Path dir) throws Exception {
    // the owner is a stand-in process; the real owner is the JVM that starts the broker
    Process owner = new ProcessBuilder("sleep", "300").start();
    LocalKafkaBroker kafka = LocalKafkaBroker.builder().ownerPid(owner.pid())
        .dataDir(dir.resolve("data")).logFile(dir.resolve("broker.log")).build();
    try {
      kafka.start();
      ProcessHandle broker = kafka.processHandle().orElseThrow();
      assertThat(kafka.clusterId()).matches("[A-Za-z0-9_-]{22}");
      assertThat(Files.readString(dir.resolve("data/kraft-combined-logs/meta.properties")))
          .contains("cluster.id=" + kafka.clusterId());
      assertThat(Files.readString(dir.resolve("data/server.properties")))
          .contains("process.roles=broker,controller", "listeners=PLAINTEXT://127.0.0.1:" + kafka.port(),
              "offsets.topic.replication.factor=1", "group.initial.rebalance.delay.ms=0");

      owner.destroyForcibly();

      Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
          .until(() -> !broker.isAlive());
      assertThat(kafka.isRunning()).isFalse();
      assertThat(Files.readString(dir.resolve("broker.log"))).contains("owner process " + owner.pid() + " exited");
    } finally {
      owner.destroyForcibly();
      kafka.close();
    }
  }

  @Test
  void aTakenPortIsAClearErrorThatQuotesTheLogAndLeavesNoProcess(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      // both ports fixed: no free port is picked again when the broker cannot bind
      LocalKafkaBroker kafka = LocalKafkaBroker.builder().port(taken.getLocalPort()).controllerPort(Ports.free())
          .dataDir(dir.resolve("data")).logFile(dir.resolve("broker.log")).build();
      try {
        assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("exited during startup")
            .hasMessageContaining(dir.resolve("broker.log").toString());
        assertThat(kafka.isRunning()).isFalse();
        assertThat(kafka.pid()).isEmpty();
        assertThat(ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains(dir.resolve("data").toString())))
            .as("processes started for this broker").isEmpty();
      } finally {
        kafka.close();
      }
    }
  }

  @Test
  void aFreePortIsPickedAtTheFirstStart() {
    LocalKafkaBroker kafka = LocalKafkaBroker.builder().build();
    assertThat(kafka.port()).isZero();
    assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("start() it first");
    assertThat(LocalKafkaBroker.builder().port(19092).build().bootstrapServers()).isEqualTo("127.0.0.1:19092");
  }
}
