package dev.realitycheck.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link LocalKafkaBroker} was built with ({@link BrokerBuilder}), immutable.
 * Paths are absolute and normalised; a null path, or a port of 0, is left to the broker to pick at
 * its first start.
 *
 * @param host the host the broker binds to and advertises
 * @param port the client (PLAINTEXT) port, 0 for a free one
 * @param controllerPort the KRaft controller port, 0 for a free one
 * @param dataDir the data directory, null for a temporary one
 * @param logFile the file the broker's output is appended to, null for {@code broker.log} in the
 *     data directory
 * @param brokerLib the directory with the broker's jars, null for {@link BrokerLib#locate()}
 * @param startupTimeout the bound on a start
 * @param shutdownTimeout the bound on the graceful part of a stop
 * @param properties {@code server.properties} entries added to or overriding the defaults
 * @param jvmOptions the broker JVM's heap and GC options
 * @param detached whether the broker outlives the JVM that started it
 * @param ownerPid the process whose death stops a broker that is not detached
 */
record BrokerSettings(String host, int port, int controllerPort, Path dataDir, Path logFile, Path brokerLib,
    Duration startupTimeout, Duration shutdownTimeout, Map<String, String> properties, List<String> jvmOptions,
    boolean detached, long ownerPid) {

  BrokerSettings {
    dataDir = absolute(dataDir);
    logFile = absolute(logFile);
    brokerLib = absolute(brokerLib);
    properties = Map.copyOf(properties);
    jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * Whether a port is picked at the first start (and picked again when another process takes it
   * before the broker binds it).
   *
   * @return true when either port is 0
   */
  boolean autoPorts() {
    return port == 0 || controllerPort == 0;
  }

  private static Path absolute(Path path) {
    return path == null ? null : path.toAbsolutePath().normalize();
  }
}
