package dev.realitycheck.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Waits until a starting broker answers: first its port accepts connections, then an
 * {@link Admin} client's {@code describeCluster} returns a node. Gives up when the process exits
 * (with the end of its log) or the deadline passes (killing the process).
 */
final class BrokerReadiness {

  private static final List<String> QUIET_LOGGERS = List.of(
      "org.apache.kafka.common.config.AbstractConfig",
      "org.apache.kafka.clients.admin.AdminClientConfig",
      "org.apache.kafka.common.utils.AppInfoParser",
      "org.apache.kafka.common.metrics.Metrics");

  private BrokerReadiness() {
  }

  /**
   * Returns when the broker answers on {@code host:port}.
   *
   * @param process the broker's process
   * @param host the host it binds
   * @param port its client port
   * @param deadline when to give up
   * @param startupTimeout the bound the deadline came from, for the message
   * @param log the broker's log, quoted on failure
   * @param logOffset where this start's output begins in the log
   * @throws BindFailure if the process exited because its port was taken
   * @throws IllegalStateException if the process exited for another reason, did not answer by the
   *     deadline (it is killed), or this thread was interrupted (it is killed)
   */
  static void await(Process process, String host, int port, Instant deadline, Duration startupTimeout,
      BrokerLog log, long logOffset) throws BindFailure {
    String bootstrap = host + ":" + port;
    boolean listening = false;
    Admin admin = null;
    try {
      while (true) {
        if (process.waitFor(listening ? 0 : 100, TimeUnit.MILLISECONDS)) {
          String tail = log.tail(logOffset);
          String message = "the Kafka broker exited during startup (exit " + process.exitValue()
              + "); log " + log + ":\n" + tail;
          if (tail.contains("Address already in use")) {
            throw new BindFailure(message);
          }
          throw new IllegalStateException(message);
        }
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          BrokerCleanup.terminate(process.toHandle(), Duration.ZERO);
          throw new IllegalStateException("the Kafka broker did not answer on " + bootstrap + " within "
              + startupTimeout.toSeconds() + " s; killed it. Log " + log + ":\n" + log.tail(logOffset));
        }
        if (!listening) {
          listening = Ports.accepts(host, port); // keeps the admin client from logging connection errors
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
      BrokerCleanup.terminate(process.toHandle(), Duration.ZERO);
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
  private static <T> T quietly(Supplier<T> action) {
    Map<Logger, Level> saved = new LinkedHashMap<>();
    for (String name : QUIET_LOGGERS) {
      Logger logger = Logger.getLogger(name);
      saved.put(logger, logger.getLevel());
      logger.setLevel(Level.WARNING);
    }
    try {
      return action.get();
    } finally {
      saved.forEach(Logger::setLevel);
    }
  }

  /** The broker died during startup because its port was taken (a race on a picked free port). */
  static final class BindFailure extends Exception {
    BindFailure(String message) {
      super(message, null, false, false);
    }
  }
}
