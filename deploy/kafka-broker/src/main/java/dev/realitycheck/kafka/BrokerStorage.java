package dev.realitycheck.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * The broker's storage ({@code kraft-combined-logs/} in the data directory), formatted once with
 * a cluster id generated here. The id is handed to Kafka's storage tool, never read back from
 * what the tool prints: its standard output may hold log lines, which must not end up in an id.
 * A formatted storage is reused as it is, with the id recorded in its {@code meta.properties}.
 */
final class BrokerStorage {

  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The storage's cluster id and whether the broker's JVM still has to format with it.
   *
   * @param clusterId the id
   * @param formatInBroker true when {@link BrokerLauncher} is to format the storage before
   *     starting Kafka; false when it is formatted
   */
  record Formatted(String clusterId, boolean formatInBroker) {
  }

  private BrokerStorage() {
  }

  /**
   * Whether the storage in {@code dataDir} was formatted.
   *
   * @param dataDir the data directory
   * @return true when it holds {@code meta.properties}
   */
  static boolean isFormatted(Path dataDir) {
    return Files.exists(metaProperties(dataDir));
  }

  /**
   * Formats the storage unless it was.
   *
   * @param dataDir the data directory, with {@code server.properties} written
   * @param inBroker true to leave the formatting to {@link BrokerLauncher} in the broker's JVM
   *     (one JVM start less); false to run the storage tool in a JVM of its own now
   * @param jvm starts the storage tool
   * @param log the log the tool writes to, quoted when it fails
   * @return the cluster id, and whether the broker still has to format with it
   * @throws IOException if {@code meta.properties} cannot be read or the tool cannot be started
   * @throws IllegalStateException if the tool fails or takes more than 60 s
   */
  static Formatted formatIfNeeded(Path dataDir, boolean inBroker, BrokerJvm jvm, BrokerLog log) throws IOException {
    Path meta = metaProperties(dataDir);
    if (Files.exists(meta)) {
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
        props.load(in);
      }
      return new Formatted(props.getProperty("cluster.id"), false);
    }
    String id = Uuid.randomUuid().toString();
    if (inBroker) {
      return new Formatted(id, true);
    }
    log.appendMarker("format storage, cluster id " + id);
    Process format = jvm.startStorageFormat(id);
    try {
      if (!format.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting the Kafka storage did not finish within "
            + FORMAT_TIMEOUT.toSeconds() + " s; log " + log);
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting the Kafka storage", e);
    }
    if (format.exitValue() != 0 || !Files.exists(meta)) {
      throw new IllegalStateException("formatting the Kafka storage failed (exit " + format.exitValue()
          + "); log " + log + ":\n" + log.tail(0));
    }
    return new Formatted(id, false);
  }

  private static Path metaProperties(Path dataDir) {
    return dataDir.resolve(BrokerConfigFiles.LOG_DIR).resolve("meta.properties");
  }
}
