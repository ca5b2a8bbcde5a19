package dev.realitycheck.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link LocalKafkaBroker}, from {@link LocalKafkaBroker#builder()}; every
 * setting has a default.
 */
public final class BrokerBuilder {
  private String host = LocalKafkaBroker.DEFAULT_HOST;
  private int port;
  private int controllerPort;
  private Path dataDir;
  private Path logFile;
  private Path brokerLib;
  private Duration startupTimeout = LocalKafkaBroker.DEFAULT_STARTUP_TIMEOUT;
  private Duration shutdownTimeout = LocalKafkaBroker.DEFAULT_SHUTDOWN_TIMEOUT;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>(LocalKafkaBroker.DEFAULT_JVM_OPTIONS);
  private boolean detached;
  private long ownerPid;

  BrokerBuilder() {
  }

  /**
   * Host to bind and advertise (default {@value LocalKafkaBroker#DEFAULT_HOST}).
   *
   * @param host a host name or address clients can reach
   * @return this builder
   */
  public BrokerBuilder host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /**
   * Client (PLAINTEXT) port; 0 (default) picks a free one at the first start.
   *
   * @param port the port, 0 for a free one
   * @return this builder
   */
  public BrokerBuilder port(int port) {
    this.port = checkPort(port);
    return this;
  }

  /**
   * KRaft controller port; 0 (default) picks a free one at the first start.
   *
   * @param controllerPort the port, 0 for a free one
   * @return this builder
   */
  public BrokerBuilder controllerPort(int controllerPort) {
    this.controllerPort = checkPort(controllerPort);
    return this;
  }

  /**
   * Data directory, kept by {@link LocalKafkaBroker#close()}; by default a temporary one that
   * close() deletes. A directory formatted before is reused as it is.
   *
   * @param dataDir the directory (created if missing)
   * @return this builder
   */
  public BrokerBuilder dataDir(Path dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /**
   * File the broker's log is appended to (default {@code broker.log} in the data directory).
   *
   * @param logFile the file (its directory is created)
   * @return this builder
   */
  public BrokerBuilder logFile(Path logFile) {
    this.logFile = logFile;
    return this;
  }

  /**
   * Directory with the broker's jars (default {@link BrokerLib#locate()}).
   *
   * @param brokerLib the directory
   * @return this builder
   */
  public BrokerBuilder brokerLib(Path brokerLib) {
    this.brokerLib = brokerLib;
    return this;
  }

  /**
   * Bound on {@link LocalKafkaBroker#start()} (default 60 s).
   *
   * @param timeout the bound
   * @return this builder
   */
  public BrokerBuilder startupTimeout(Duration timeout) {
    this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * Bound on the graceful part of {@link LocalKafkaBroker#stop()} before SIGKILL (default 30 s).
   *
   * @param timeout the bound
   * @return this builder
   */
  public BrokerBuilder shutdownTimeout(Duration timeout) {
    this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * Adds or overrides one {@code server.properties} entry.
   *
   * @param key a Kafka broker setting
   * @param value its value
   * @return this builder
   */
  public BrokerBuilder property(String key, String value) {
    properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Replaces the broker JVM's options (default {@link LocalKafkaBroker#DEFAULT_JVM_OPTIONS});
   * the flags that silence JDK warnings are always added.
   *
   * @param options the options
   * @return this builder
   */
  public BrokerBuilder jvmOptions(List<String> options) {
    jvmOptions.clear();
    jvmOptions.addAll(options);
    return this;
  }

  /**
   * Whether the broker outlives this JVM (default false: stopped by a shutdown hook, and
   * exiting by itself when this process dies).
   *
   * @param detached true for a broker that keeps running after this JVM exits
   * @return this builder
   */
  public BrokerBuilder detached(boolean detached) {
    this.detached = detached;
    return this;
  }

  /** Tests only: the process whose death stops the broker (default: this JVM). */
  BrokerBuilder ownerPid(long pid) {
    this.ownerPid = pid;
    return this;
  }

  /**
   * Builds the broker, not started.
   *
   * @return a stopped broker
   */
  public LocalKafkaBroker build() {
    return new LocalKafkaBroker(new BrokerSettings(host, port, controllerPort, dataDir, logFile, brokerLib,
        startupTimeout, shutdownTimeout, properties, jvmOptions, detached,
        ownerPid > 0 ? ownerPid : ProcessHandle.current().pid()));
  }

  private static int checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return port;
  }
}
