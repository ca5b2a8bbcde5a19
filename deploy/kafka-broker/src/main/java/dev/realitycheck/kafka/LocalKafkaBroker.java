package dev.realitycheck.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one node) running in a
 * JVM process of its own, started from the jars in {@code broker-lib} (see {@link BrokerLib}).
 *
 * <p>{@link #start()} writes a minimal {@code server.properties} and a log4j2 configuration into
 * the data directory, formats the storage once (with a cluster id generated here, never parsed
 * from the storage tool's output), launches {@code java -cp broker-lib/* kafka.Kafka
 * server.properties} and returns when an {@code Admin} client's {@code describeCluster} answers
 * with a node (bounded by {@link BrokerBuilder#startupTimeout}). Everything the broker and the
 * storage tool print (log4j2 writes to standard output) is appended to {@link #logFile()}, never
 * to this JVM's console.
 *
 * <p>{@link #stop()} stops the process (SIGTERM, Kafka's controlled shutdown; SIGKILL after
 * {@link BrokerBuilder#shutdownTimeout}) and keeps the data, so {@code stop()} then
 * {@code start()} (or {@link #restart()}) brings the same broker back on the same ports with its
 * topics and records. {@link #close()} stops it and deletes the data directory if this object
 * created it (no {@link BrokerBuilder#dataDir} given).
 *
 * <p>Unless {@link BrokerBuilder#detached(boolean) detached}, the broker is tied to this JVM
 * twice: a shutdown hook stops it when this JVM exits, and the broker JVM itself exits when this
 * process disappears, even on SIGKILL (see {@link BrokerLauncher}). A detached broker (the
 * {@code deploy/local/kafka} script, through {@link #main}) outlives the JVM that started it.
 *
 * <p>This class keeps the lifecycle (ports, data directory, process, shutdown hook); the steps
 * are the package's: {@code BrokerConfigFiles} writes the configuration, {@code BrokerStorage}
 * formats, {@code BrokerJvm} launches, {@code BrokerReadiness} waits for the broker to answer and
 * {@code BrokerCleanup} kills processes and deletes directories.
 *
 * <p>Topics are auto-created ({@code auto.create.topics.enable=true}, 1 partition) and internal
 * topics have replication factor 1 and a single partition. Not thread-safe beyond its
 * {@code synchronized} lifecycle methods.
 *
 * <pre>{@code
 * try (LocalKafkaBroker kafka = LocalKafkaBroker.builder().build().start()) {
 *   props.put("bootstrap.servers", kafka.bootstrapServers());
 *   ...
 *   kafka.restart();   // same port, same data
 * }
 * }</pre>
 */
public final class LocalKafkaBroker implements AutoCloseable {

  /** Default bind/advertised host. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default bound on {@link #start()}. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
  /** Default bound on the graceful part of {@link #stop()}. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  /** Default heap and GC options of the broker JVM (a small test/dev broker, quick to start). */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
      "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Djava.awt.headless=true");

  private static final int AUTO_PORT_ATTEMPTS = 3;

  private final BrokerSettings settings;

  private int port;
  private int controllerPort;
  private Path dataDir;
  private boolean ownsDataDir;
  private Path brokerLib;
  private Process process;
  private String clusterId;
  private Thread shutdownHook;
  private Duration lastStartDuration;

  LocalKafkaBroker(BrokerSettings settings) {
    this.settings = settings;
    this.port = settings.port();
    this.controllerPort = settings.controllerPort();
  }

  /**
   * A builder with the defaults: 127.0.0.1, free ports, a temporary data directory (deleted by
   * {@link #close()}), the log file inside it, broker-lib from {@link BrokerLib#locate()}.
   *
   * @return a new builder
   */
  public static BrokerBuilder builder() {
    return new BrokerBuilder();
  }

  /**
   * Starts the broker, or does nothing if it is running. Picks the free ports on the first start
   * (later starts reuse them), formats the storage the first time, and waits until the broker
   * answers.
   *
   * @return this broker, running
   * @throws IllegalStateException if the process exits during startup or does not answer within
   *     the startup timeout (the message holds the end of the log); the process is then killed
   * @throws UncheckedIOException if files cannot be written
   */
  public synchronized LocalKafkaBroker start() {
    if (isRunning()) {
      return this;
    }
    stop(); // a broker that died by itself: forget its process and shutdown hook
    Instant begin = Instant.now();
    try {
      if (brokerLib == null) {
        brokerLib = settings.brokerLib() != null ? settings.brokerLib() : BrokerLib.locate();
      }
      if (dataDir == null) {
        ownsDataDir = settings.dataDir() == null;
        dataDir = ownsDataDir ? Files.createTempDirectory("realitycheck-kafka-") : settings.dataDir();
      }
      Files.createDirectories(dataDir);
      Files.createDirectories(logFile().getParent());
      BrokerLog log = new BrokerLog(logFile());
      BrokerJvm jvm = new BrokerJvm(settings.jvmOptions(), brokerLib, dataDir, log);
      boolean firstStart = clusterId == null && !BrokerStorage.isFormatted(dataDir);
      for (int attempt = 1; ; attempt++) {
        if (port == 0) {
          port = Ports.free();
        }
        if (controllerPort == 0 || controllerPort == port) {
          controllerPort = Ports.free(port);
        }
        BrokerConfigFiles.write(dataDir, settings.host(), port, controllerPort, settings.properties());
        Path launcher = settings.detached() ? null : BrokerJvm.launcherCode();
        BrokerStorage.Formatted storage = BrokerStorage.formatIfNeeded(dataDir, launcher != null, jvm, log);
        if (!storage.formatInBroker()) {
          clusterId = storage.clusterId();
        }
        long logOffset = log.end();
        process = jvm.startBroker(settings.host() + ":" + port + " (controller " + controllerPort + ")", launcher,
            settings.ownerPid(), storage.formatInBroker() ? storage.clusterId() : null);
        try {
          BrokerReadiness.await(process, settings.host(), port, begin.plus(settings.startupTimeout()),
              settings.startupTimeout(), log, logOffset);
          clusterId = storage.clusterId();
          break;
        } catch (BrokerReadiness.BindFailure e) {
          process = null;
          if (!(settings.autoPorts() && firstStart && attempt < AUTO_PORT_ATTEMPTS)) {
            throw new IllegalStateException(e.getMessage());
          }
          port = 0;
          controllerPort = 0; // taken meanwhile by someone else: pick again
        } catch (RuntimeException e) {
          BrokerCleanup.terminate(process.toHandle(), Duration.ZERO); // never leave a half-started broker
          process = null;
          throw e;
        }
      }
      if (!settings.detached()) {
        shutdownHook = new Thread(this::stopFromHook, "kafka-broker-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
      lastStartDuration = Duration.between(begin, Instant.now());
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka broker in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops the broker: SIGTERM (Kafka's controlled shutdown), SIGKILL if it has not exited within
   * the shutdown timeout. Keeps the data directory and the ports, so {@link #start()} resumes the
   * same broker. Does nothing when it is not running.
   */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    BrokerCleanup.terminate(p.toHandle(), settings.shutdownTimeout());
    process = null;
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook is running or about to, nothing to remove
      }
      shutdownHook = null;
    }
  }

  /**
   * {@link #stop()} then {@link #start()}: the same ports and data, so clients reconnect to it.
   *
   * @return this broker, running again
   */
  public synchronized LocalKafkaBroker restart() {
    stop();
    return start();
  }

  /**
   * Stops the broker and deletes the data directory if this object created it (a temporary one).
   * A configured data directory and the log file are kept.
   */
  @Override
  public synchronized void close() {
    stop();
    if (ownsDataDir && dataDir != null) {
      BrokerCleanup.deleteRecursively(dataDir);
      dataDir = null;
      clusterId = null;
      ownsDataDir = false;
    }
  }

  /**
   * Whether the broker process (started by this object) is alive.
   *
   * @return true while the broker process runs
   */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * The address clients bootstrap from, {@code host:port}.
   *
   * @return for example {@code 127.0.0.1:41234}
   * @throws IllegalStateException if the port is still to be picked (free port, never started)
   */
  public synchronized String bootstrapServers() {
    if (port == 0) {
      throw new IllegalStateException("the Kafka broker has no port yet: start() it first");
    }
    return settings.host() + ":" + port;
  }

  /**
   * The client (PLAINTEXT) port; 0 before the first start if it is to be picked.
   *
   * @return the port
   */
  public synchronized int port() {
    return port;
  }

  /**
   * The KRaft controller port; 0 before the first start if it is to be picked.
   *
   * @return the port
   */
  public synchronized int controllerPort() {
    return controllerPort;
  }

  /**
   * The host the broker binds to and advertises.
   *
   * @return the host
   */
  public String host() {
    return settings.host();
  }

  /**
   * The data directory (configuration files and {@code kraft-combined-logs/}); null before the
   * first start when a temporary one is to be created, and after {@link #close()} deleted it.
   *
   * @return the directory
   */
  public synchronized Path dataDir() {
    return dataDir != null ? dataDir : settings.dataDir();
  }

  /**
   * The file the broker's output is appended to: the configured one, or {@code broker.log} in the
   * data directory.
   *
   * @return the log file, null before the first start of a broker with a temporary directory
   */
  public synchronized Path logFile() {
    if (settings.logFile() != null) {
      return settings.logFile();
    }
    Path dir = dataDir();
    return dir == null ? null : dir.resolve("broker.log");
  }

  /**
   * The broker process id while it runs.
   *
   * @return the pid, empty when not running
   */
  public synchronized OptionalLong pid() {
    return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
  }

  /**
   * The broker process while it runs, to check on it (tests assert it is gone after stop).
   *
   * @return its handle, empty when not running
   */
  public synchronized Optional<ProcessHandle> processHandle() {
    return isRunning() ? Optional.of(process.toHandle()) : Optional.empty();
  }

  /**
   * The KRaft cluster id, generated at the first format.
   *
   * @return the id, null before the first start
   */
  public synchronized String clusterId() {
    return clusterId;
  }

  /**
   * How long the last successful {@link #start()} took, format and readiness wait included.
   *
   * @return the duration, null if never started
   */
  public synchronized Duration lastStartDuration() {
    return lastStartDuration;
  }

  @Override
  public synchronized String toString() {
    return "LocalKafkaBroker[" + (port == 0 ? settings.host() + ":<free>" : bootstrapServers())
        + (isRunning() ? ", pid " + process.pid() : ", stopped") + ", data " + dataDir() + "]";
  }

  private void stopFromHook() {
    Process p = process;
    if (p != null) {
      BrokerCleanup.terminate(p.toHandle(), settings.shutdownTimeout());
    }
    if (ownsDataDir && dataDir != null) {
      BrokerCleanup.deleteRecursively(dataDir);
    }
  }

  /**
   * Command line for {@code deploy/local/kafka}: {@code start|stop|status [--state-dir DIR]
   * [--host H] [--port P] [--controller-port P] [--data-dir DIR] [--log-file F]
   * [--broker-lib DIR]}. The state directory (default {@code .run/kafka}) holds {@code kafka.pid}
   * and {@code kafka.state} (pid, bootstrap address, data directory, log file); the data directory
   * defaults to {@code STATE/data} and the log file to {@code STATE/broker.log}. The started broker
   * is detached. Exit codes: 0 done (start when running and stop when stopped included); status
   * 0 running, 3 stopped; 1 failure; 2 usage.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    System.exit(LocalKafkaCommand.run(args, System.out, System.err));
  }
}
