package dev.realitycheck.testsupport;

import dev.realitycheck.kafka.BrokerBuilder;
import dev.realitycheck.kafka.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the test helpers share: where a test broker's log goes. */
final class TestBrokers {

  private TestBrokers() {
  }

  /**
   * A builder for a test broker (free ports, temporary data) logging to
   * {@code target/kafka-broker-logs/NAME.log} when the working directory is a Maven module, so the
   * log outlives the deleted data directory; otherwise inside the data directory.
   */
  static BrokerBuilder builder(String name) {
    BrokerBuilder builder = LocalKafkaBroker.builder();
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      builder.logFile(target.resolve("kafka-broker-logs").resolve(name + ".log"));
    }
    return builder;
  }
}
