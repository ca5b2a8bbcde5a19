package dev.realitycheck.kafka;

import static dev.realitycheck.kafka.LocalKafkaBroker.DEFAULT_HOST;
import static dev.realitycheck.kafka.LocalKafkaBroker.DEFAULT_SHUTDOWN_TIMEOUT;
import static dev.realitycheck.kafka.LocalKafkaBroker.builder;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link LocalKafkaBroker#main}'s implementation ({@code deploy/local/kafka start|stop|status}),
 * kept apart so that it can return exit codes.
 */
final class LocalKafkaCommand {
  private LocalKafkaCommand() {
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      return usage(err);
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        return usage(err);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    Path state = Path.of(options.getOrDefault("state-dir", ".run/kafka")).toAbsolutePath().normalize();
    try {
      return switch (args[0]) {
        case "start" -> start(state, options, out, err);
        case "stop" -> stop(state, out);
        case "status" -> status(state, out);
        default -> usage(err);
      };
    } catch (RuntimeException e) {
      err.println("kafka: " + e.getMessage());
      return 1;
    }
  }

  private static int usage(PrintStream err) {
    err.println("usage: LocalKafkaBroker start|stop|status [--state-dir DIR] [--host H] [--port P]"
        + " [--controller-port P] [--data-dir DIR] [--log-file F] [--broker-lib DIR]");
    return 2;
  }

  private static int start(Path state, Map<String, String> options, PrintStream out, PrintStream err) {
    Optional<Running> running = Running.read(state);
    if (running.isPresent()) {
      out.println("kafka: already running (pid " + running.get().pid + ", bootstrap " + running.get().bootstrap + ")");
      return 0;
    }
    BrokerBuilder builder = builder().detached(true)
        .host(options.getOrDefault("host", DEFAULT_HOST))
        .port(Integer.parseInt(options.getOrDefault("port", "9092")))
        .controllerPort(Integer.parseInt(options.getOrDefault("controller-port", "0")))
        .dataDir(Path.of(options.getOrDefault("data-dir", state.resolve("data").toString())))
        .logFile(Path.of(options.getOrDefault("log-file", state.resolve("broker.log").toString())));
    if (options.containsKey("broker-lib")) {
      builder.brokerLib(Path.of(options.get("broker-lib")));
    }
    LocalKafkaBroker broker = builder.build();
    try {
      broker.start();
    } catch (IllegalStateException e) {
      err.println("kafka: could not start: " + e.getMessage());
      return 1;
    }
    long pid = broker.pid().orElseThrow();
    Running.write(state, pid, broker.bootstrapServers(), broker.dataDir(), broker.logFile());
    out.println("kafka: running (pid " + pid + ", bootstrap " + broker.bootstrapServers() + ") in "
        + broker.lastStartDuration().toMillis() + " ms; log " + broker.logFile());
    return 0;
  }

  private static int stop(Path state, PrintStream out) {
    Optional<Running> running = Running.read(state);
    if (running.isEmpty()) {
      Running.clear(state);
      out.println("kafka: stopped");
      return 0;
    }
    Instant begin = Instant.now();
    ProcessHandle handle = ProcessHandle.of(running.get().pid).orElse(null);
    boolean graceful = handle == null || BrokerCleanup.terminate(handle, DEFAULT_SHUTDOWN_TIMEOUT);
    Running.clear(state);
    out.println("kafka: stopped (pid " + running.get().pid + (graceful ? "" : ", killed") + ") in "
        + Duration.between(begin, Instant.now()).toMillis() + " ms");
    return 0;
  }

  private static int status(Path state, PrintStream out) {
    Optional<Running> running = Running.read(state);
    if (running.isEmpty()) {
      out.println("kafka: stopped");
      return 3;
    }
    boolean answers = Ports.accepts(running.get().host(), running.get().port());
    out.println("kafka: running (pid " + running.get().pid + ", bootstrap " + running.get().bootstrap + ")"
        + (answers ? "" : " but not accepting connections"));
    return 0;
  }

  /** The state file of a detached broker. */
  private record Running(long pid, String bootstrap) {
    static final String PID_FILE = "kafka.pid";
    static final String STATE_FILE = "kafka.state";

    String host() {
      return bootstrap.substring(0, bootstrap.lastIndexOf(':'));
    }

    int port() {
      return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    /** The recorded broker if its process is alive and still a Kafka broker (not a reused pid). */
    static Optional<Running> read(Path state) {
      Path file = state.resolve(STATE_FILE);
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(in);
      } catch (IOException e) {
        return Optional.empty();
      }
      long pid = Long.parseLong(props.getProperty("pid", "-1"));
      boolean alive = ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(h -> h.info().commandLine().map(c -> c.contains("kafka.Kafka")).orElse(true))
          .orElse(false);
      return alive ? Optional.of(new Running(pid, props.getProperty("bootstrap"))) : Optional.empty();
    }

    static void write(Path state, long pid, String bootstrap, Path dataDir, Path logFile) {
      try {
        Files.createDirectories(state);
        Files.writeString(state.resolve(PID_FILE), pid + "\n", StandardCharsets.UTF_8);
        Properties props = new Properties();
        props.setProperty("pid", Long.toString(pid));
        props.setProperty("bootstrap", bootstrap);
        props.setProperty("data-dir", dataDir.toString());
        props.setProperty("log-file", logFile.toString());
        try (Writer w = Files.newBufferedWriter(state.resolve(STATE_FILE), StandardCharsets.UTF_8)) {
          props.store(w, "written by deploy/local/kafka (LocalKafkaBroker start)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the state in " + state, e);
      }
    }

    static void clear(Path state) {
      try {
        Files.deleteIfExists(state.resolve(PID_FILE));
        Files.deleteIfExists(state.resolve(STATE_FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clear the state in " + state, e);
      }
    }
  }
}
