package dev.realitycheck.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** What stopping a broker takes: ending its process, and deleting a temporary data directory. */
final class BrokerCleanup {

  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private BrokerCleanup() {
  }

  /**
   * SIGTERM (for a broker, Kafka's controlled shutdown), wait up to {@code grace}, then SIGKILL
   * and wait for the exit. A zero grace kills at once.
   *
   * @param handle the process
   * @param grace how long it may take to exit after SIGTERM
   * @return true if it exited gracefully (or was not running)
   * @throws IllegalStateException if it is still alive 10 s after SIGKILL
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

  /**
   * Deletes {@code dir} and everything in it; a failure is reported on standard error, not thrown
   * (it runs in shutdown hooks too).
   *
   * @param dir the directory; nothing happens when it does not exist
   */
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
}
