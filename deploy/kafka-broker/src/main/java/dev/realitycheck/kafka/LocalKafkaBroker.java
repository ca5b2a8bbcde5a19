package dev.realitycheck.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one node) running in a
 * JVM process of its own, started from the jars in {@code broker-lib} (see {@link BrokerLib}).
 *
 * <p>{@link #start()} writes a minimal {@code server.properties} and a log4j2 configuration into
 * the data directory, formats the storage once (with a cluster id generated here, never parsed
 * from the storage tool's output), launches {@code java -cp broker-lib/* kafka.Kafka
 * server.properties} and returns when an {@link Admin} client's {@code describeCluster} answers
 * with a node (bounded by {@link Builder#startupTimeout}). Everything the broker and the storage
 * tool print (log4j2 writes to standard output) is appended to {@link #logFile()}, never to this
 * JVM's console.
 *
 * <p>{@link #stop()} stops the process (SIGTERM, Kafka's controlled shutdown; SIGKILL after
 * {@link Builder#shutdownTimeout}) and keeps the data, so {@code stop()} then {@code start()}
 * (or {@link #restart()}) brings the same broker back on the same ports with its topics and
 * records. {@link #close()} stops it and deletes the data directory if this object created it
 * (no {@link Builder#dataDir} given).
 *
 * <p>Unless {@link Builder#detached(boolean) detached}, the broker is tied to this JVM twice: a
 * shutdown hook stops it when this JVM exits, and the broker JVM itself exits when this process
 * disappears, even on SIGKILL (see {@link BrokerLauncher}). A detached broker (the
 * {@code deploy/local/kafka} script, through {@link #main}) outlives the JVM that started it.
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

  private static final String SERVER_PROPERTIES = "server.properties";
  private static final String LOG4J2_PROPERTIES = "log4j2.properties";
  private static final String LOG_DIR = "kraft-combined-logs";
  private static final int NODE_ID = 1;
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final int AUTO_PORT_ATTEMPTS = 3;

  private final String host;
  private final Path configuredDataDir;
  private final Path configuredLogFile;
  private final Path configuredBrokerLib;
  private final Duration startupTimeout;
  private final Duration shutdownTimeout;
  private final Map<String, String> extraProperties;
  private final List<String> jvmOptions;
  private final boolean detached;
  private final long ownerPid;
  private final boolean autoPorts;

  private int port;
  private int controllerPort;
  private Path dataDir;
  private boolean ownsDataDir;
  private Path brokerLib;
  private Process process;
  private String clusterId;
  private Thread shutdownHook;
  private Duration lastStartDuration;

  private LocalKafkaBroker(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.controllerPort = b.controllerPort;
    this.autoPorts = b.port == 0 || b.controllerPort == 0;
    this.configuredDataDir = b.dataDir == null ? null : b.dataDir.toAbsolutePath().normalize();
    this.configuredLogFile = b.logFile == null ? null : b.logFile.toAbsolutePath().normalize();
    this.configuredBrokerLib = b.brokerLib;
    this.startupTimeout = b.startupTimeout;
    this.shutdownTimeout = b.shutdownTimeout;
    this.extraProperties = Map.copyOf(b.properties);
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.detached = b.detached;
    this.ownerPid = b.ownerPid > 0 ? b.ownerPid : ProcessHandle.current().pid();
  }

  /**
   * A builder with the defaults: 127.0.0.1, free ports, a temporary data directory (deleted by
   * {@link #close()}), the log file inside it, broker-lib from {@link BrokerLib#locate()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
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
        brokerLib = configuredBrokerLib != null ? configuredBrokerLib.toAbsolutePath().normalize() : BrokerLib.locate();
      }
      if (dataDir == null) {
        if (configuredDataDir != null) {
          dataDir = configuredDataDir;
          ownsDataDir = false;
        } else {
          dataDir = Files.createTempDirectory("realitycheck-kafka-");
          ownsDataDir = true;
        }
      }
      Files.createDirectories(dataDir);
      Files.createDirectories(logFile().getParent());
      boolean firstStart = clusterId == null && !Files.exists(dataDir.resolve(LOG_DIR).resolve("meta.properties"));
      for (int attempt = 1; ; attempt++) {
        if (port == 0) {
          port = freePort();
        }
        if (controllerPort == 0 || controllerPort == port) {
          controllerPort = freePort(port);
        }
        writeConfig();
        Path launcher = detached ? null : ownCodeLocation();
        String formatInBroker = formatIfNeeded(launcher != null);
        long logOffset = Files.exists(logFile()) ? Files.size(logFile()) : 0;
        process = launch(launcher, formatInBroker);
        try {
          awaitReady(begin.plus(startupTimeout), logOffset);
          if (formatInBroker != null) {
            clusterId = formatInBroker;
          }
          break;
        } catch (BindFailure e) {
          process = null;
          if (!(autoPorts && firstStart && attempt < AUTO_PORT_ATTEMPTS)) {
            throw new IllegalStateException(e.getMessage());
          }
          port = 0;
          controllerPort = 0; // taken meanwhile by someone else: pick again
        } catch (RuntimeException e) {
          terminate(process.toHandle(), Duration.ZERO); // never leave a half-started broker
          process = null;
          throw e;
        }
      }
      if (!detached) {
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
    terminate(p.toHandle(), shutdownTimeout);
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
      deleteRecursively(dataDir);
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
    return host + ":" + port;
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
    return host;
  }

  /**
   * The data directory (configuration files and {@code kraft-combined-logs/}); null before the
   * first start when a temporary one is to be created, and after {@link #close()} deleted it.
   *
   * @return the directory
   */
  public synchronized Path dataDir() {
    return dataDir != null ? dataDir : configuredDataDir;
  }

  /**
   * The file the broker's output is appended to: the configured one, or {@code broker.log} in the
   * data directory.
   *
   * @return the log file, null before the first start of a broker with a temporary directory
   */
  public synchronized Path logFile() {
    if (configuredLogFile != null) {
      return configuredLogFile;
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
    return "LocalKafkaBroker[" + (port == 0 ? host + ":<free>" : bootstrapServers())
        + (isRunning() ? ", pid " + process.pid() : ", stopped") + ", data " + dataDir() + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private void writeConfig() throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve(LOG_DIR).toString());
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.putAll(extraProperties);
    StringBuilder text = new StringBuilder("# written by dev.realitycheck.kafka.LocalKafkaBroker; rewritten at every start\n");
    p.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Files.writeString(dataDir.resolve(SERVER_PROPERTIES), text, StandardCharsets.UTF_8);
    // log4j2 prints to standard output, which start() appends to the log file
    Files.writeString(dataDir.resolve(LOG4J2_PROPERTIES), """
        # written by dev.realitycheck.kafka.LocalKafkaBroker: standard output goes to the log file
        status = warn
        shutdownHook = disable
        appender.out.type = Console
        appender.out.name = STDOUT
        appender.out.target = SYSTEM_OUT
        appender.out.layout.type = PatternLayout
        appender.out.layout.pattern = [%d] %p %m (%c)%n
        rootLogger.level = INFO
        rootLogger.appenderRef.out.ref = STDOUT
        logger.request.name = kafka.request.logger
        logger.request.level = WARN
        logger.state.name = state.change.logger
        logger.state.level = WARN
        """, StandardCharsets.UTF_8);
  }

  /**
   * Formats the storage unless it was: with a cluster id generated here, since the storage tool
   * may print log lines on stdout that must never end up inside an id (DESIGN.md section 7).
   *
   * @param inBroker true to leave the formatting to BrokerLauncher in the broker JVM (one JVM
   *     start less); false to run the storage tool in a JVM of its own now
   * @return the cluster id for BrokerLauncher to format with, or null when nothing is left to do
   */
  private String formatIfNeeded(boolean inBroker) throws IOException {
    Path meta = dataDir.resolve(LOG_DIR).resolve("meta.properties");
    if (Files.exists(meta)) {
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
        props.load(in);
      }
      clusterId = props.getProperty("cluster.id");
      return null;
    }
    String id = Uuid.randomUuid().toString();
    if (inBroker) {
      return id;
    }
    appendMarker("format storage, cluster id " + id);
    List<String> command = javaCommand();
    command.add("kafka.tools.StorageTool");
    command.addAll(List.of("format", "-t", id, "-c", dataDir.resolve(SERVER_PROPERTIES).toString()));
    Process format = processBuilder(command).start();
    try {
      if (!format.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting the Kafka storage did not finish within "
            + FORMAT_TIMEOUT.toSeconds() + " s; log " + logFile());
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting the Kafka storage", e);
    }
    if (format.exitValue() != 0 || !Files.exists(meta)) {
      throw new IllegalStateException("formatting the Kafka storage failed (exit " + format.exitValue()
          + "); log " + logFile() + ":\n" + tail(0));
    }
    clusterId = id;
    return null;
  }

  private Process launch(Path launcher, String formatClusterId) throws IOException {
    appendMarker("start broker on " + host + ":" + port + " (controller " + controllerPort + ")"
        + (formatClusterId == null ? "" : ", formatting the storage first with cluster id " + formatClusterId));
    List<String> command = javaCommand();
    if (launcher != null) {
      int cp = command.indexOf("-cp") + 1;
      command.set(cp, command.get(cp) + java.io.File.pathSeparator + launcher);
      command.addAll(List.of(BrokerLauncher.class.getName(), "--parent-pid", Long.toString(ownerPid)));
      if (formatClusterId != null) {
        command.addAll(List.of("--format", formatClusterId));
      }
    } else {
      command.add("kafka.Kafka");
    }
    command.add(dataDir.resolve(SERVER_PROPERTIES).toString());
    return processBuilder(command).start();
  }

  private List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(jvmOptions);
    command.add("-Dlog4j2.configurationFile=" + dataDir.resolve(LOG4J2_PROPERTIES));
    command.add("-cp");
    command.add(brokerLib.resolve("*").toString());
    return command;
  }

  private ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(dataDir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().remove("JAVA_TOOL_OPTIONS"); // would print "Picked up ..." and change the JVM
    pb.environment().remove("KAFKA_OPTS");
    return pb;
  }

  /** This module's classes (directory or jar), put on the broker's classpath for BrokerLauncher. */
  private static Path ownCodeLocation() {
    try {
      CodeSource source = BrokerLauncher.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private void awaitReady(Instant deadline, long logOffset) throws BindFailure {
    String bootstrap = bootstrapServers();
    boolean listening = false;
    Admin admin = null;
    try {
      while (true) {
        if (process.waitFor(listening ? 0 : 100, TimeUnit.MILLISECONDS)) {
          String log = tail(logOffset);
          String message = "the Kafka broker exited during startup (exit " + process.exitValue()
              + "); log " + logFile() + ":\n" + log;
          if (log.contains("Address already in use")) {
            throw new BindFailure(message);
          }
          throw new IllegalStateException(message);
        }
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          terminate(process.toHandle(), Duration.ZERO);
          throw new IllegalStateException("the Kafka broker did not answer on " + bootstrap + " within "
              + startupTimeout.toSeconds() + " s; killed it. Log " + logFile() + ":\n" + tail(logOffset));
        }
        if (!listening) {
          listening = accepts(host, port); // keeps the admin client from logging connection errors
          continue;
        }
        if (admin == null) {
          admin = quietly(() -> Admin.create(Map.of(
              AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
              AdminClientConfig.CLIENT_ID_CONFIG, "realitycheck-kafka-probe",
              AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000",
              AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000",
              AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100",
              AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500")));
        }
        int timeout = (int) Math.max(100, Math.min(left, 3000));
        try {
          Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout))
              .nodes().get(timeout + 500L, TimeUnit.MILLISECONDS);
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException notYet) {
          // not answering yet: poll again (bounded by the deadline and the process being alive)
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      terminate(process.toHandle(), Duration.ZERO);
      throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
    } finally {
      if (admin != null) {
        Admin probe = admin;
        quietly(() -> {
          probe.close(Duration.ofSeconds(2));
          return null;
        });
      }
    }
  }

  /**
   * Runs {@code action} with the probe client's INFO chatter (its configuration dump, version and
   * metrics lines) held back, so that it does not fill the owner's console, e.g. a Quarkus test's.
   * Works where SLF4J logs through java.util.logging (JBoss LogManager in Quarkus); elsewhere it
   * changes nothing. Levels are restored afterwards.
   */
  private static <T> T quietly(java.util.function.Supplier<T> action) {
    Map<java.util.logging.Logger, java.util.logging.Level> saved = new LinkedHashMap<>();
    for (String name : QUIET_LOGGERS) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      saved.put(logger, logger.getLevel());
      logger.setLevel(java.util.logging.Level.WARNING);
    }
    try {
      return action.get();
    } finally {
      saved.forEach(java.util.logging.Logger::setLevel);
    }
  }

  private static final List<String> QUIET_LOGGERS = List.of(
      "org.apache.kafka.common.config.AbstractConfig",
      "org.apache.kafka.clients.admin.AdminClientConfig",
      "org.apache.kafka.common.utils.AppInfoParser",
      "org.apache.kafka.common.metrics.Metrics");

  static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void stopFromHook() {
    Process p = process;
    if (p != null) {
      terminate(p.toHandle(), shutdownTimeout);
    }
    if (ownsDataDir && dataDir != null) {
      deleteRecursively(dataDir);
    }
  }

  /**
   * SIGTERM, wait up to {@code grace}, then SIGKILL and wait for the exit.
   *
   * @return true if it exited gracefully
   */
  static boolean terminate(ProcessHandle handle, Duration grace) {
    if (!handle.isAlive()) {
      return true;
    }
    if (!grace.isZero()) {
      handle.destroy();
      try {
        handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        // fall through to SIGKILL
      } catch (ExecutionException e) {
        // cannot happen for onExit
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    handle.destroyForcibly();
    try {
      handle.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException("process " + handle.pid() + " survived SIGKILL for " + KILL_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private void appendMarker(String what) throws IOException {
    Files.writeString(logFile(), "==== " + Instant.now() + " LocalKafkaBroker: " + what + " ====\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The last 40 lines of the log written since {@code offset}. */
  private String tail(long offset) {
    try (InputStream in = Files.newInputStream(logFile())) {
      in.skipNBytes(Math.min(offset, Files.size(logFile())));
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static int freePort(int... avoid) {
    for (int i = 0; i < 10; i++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        int candidate = socket.getLocalPort();
        if (avoid.length == 0 || avoid[0] != candidate) {
          return candidate;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port", e);
      }
    }
    throw new IllegalStateException("cannot find a free port");
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("LocalKafkaBroker: could not delete " + dir + ": " + e);
    }
  }

  /** The broker died during startup because its port was taken (a race on a picked free port). */
  private static final class BindFailure extends Exception {
    BindFailure(String message) {
      super(message, null, false, false);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Configuration of a {@link LocalKafkaBroker}; every setting has a default. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port;
    private int controllerPort;
    private Path dataDir;
    private Path logFile;
    private Path brokerLib;
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
    private boolean detached;
    private long ownerPid;

    private Builder() {
    }

    /**
     * Host to bind and advertise (default {@value LocalKafkaBroker#DEFAULT_HOST}).
     *
     * @param host a host name or address clients can reach
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Client (PLAINTEXT) port; 0 (default) picks a free one at the first start.
     *
     * @param port the port, 0 for a free one
     * @return this builder
     */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /**
     * KRaft controller port; 0 (default) picks a free one at the first start.
     *
     * @param controllerPort the port, 0 for a free one
     * @return this builder
     */
    public Builder controllerPort(int controllerPort) {
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
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * File the broker's log is appended to (default {@code broker.log} in the data directory).
     *
     * @param logFile the file (its directory is created)
     * @return this builder
     */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /**
     * Directory with the broker's jars (default {@link BrokerLib#locate()}).
     *
     * @param brokerLib the directory
     * @return this builder
     */
    public Builder brokerLib(Path brokerLib) {
      this.brokerLib = brokerLib;
      return this;
    }

    /**
     * Bound on {@link LocalKafkaBroker#start()} (default 60 s).
     *
     * @param timeout the bound
     * @return this builder
     */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Bound on the graceful part of {@link LocalKafkaBroker#stop()} before SIGKILL (default 30 s).
     *
     * @param timeout the bound
     * @return this builder
     */
    public Builder shutdownTimeout(Duration timeout) {
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
    public Builder property(String key, String value) {
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
    public Builder jvmOptions(List<String> options) {
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
    public Builder detached(boolean detached) {
      this.detached = detached;
      return this;
    }

    /** Tests only: the process whose death stops the broker (default: this JVM). */
    Builder ownerPid(long pid) {
      this.ownerPid = pid;
      return this;
    }

    /**
     * Builds the broker, not started.
     *
     * @return a stopped broker
     */
    public LocalKafkaBroker build() {
      return new LocalKafkaBroker(this);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      return port;
    }
  }

  // ---------------------------------------------------------------------------------------------

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
