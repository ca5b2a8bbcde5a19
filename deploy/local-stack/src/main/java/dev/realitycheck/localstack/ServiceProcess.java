package dev.realitycheck.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One packaged service running as a child JVM of this one: its port, log file and process.
 * Started by {@link LocalStack}; {@link #stop(Duration)} ends it and anything it started.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration POLL = Duration.ofMillis(250);

    private final StackService service;
    private final int port;
    private final Path log;
    private final Process process;

    ServiceProcess(StackService service, int port, Path log, Process process) {
        this.service = service;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public StackService service() {
        return service;
    }

    /** The HTTP port, which also serves gRPC. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, for gRPC channels. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** The JVM's process (its descendants, if any, are stopped with it). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until {@code path} (e.g. {@code /q/health/ready}) answers 200.
     *
     * @throws IllegalStateException if the process exits first or the time runs out, with the
     *     end of its log
     */
    public void awaitHealthy(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.module() + " exited during startup (exit "
                        + process.exitValue() + "); log " + log + ":\n" + tail(40));
            }
            HealthAnswer answer = health(path);
            if (answer.status() == 200) {
                return;
            }
            last = answer.toString();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service.module() + " was not healthy on " + path + " within "
                        + timeout.toSeconds() + " s (last: " + last + "); log " + log + ":\n" + tail(40));
            }
            try {
                Thread.sleep(POLL); // polling an HTTP endpoint: nothing to wait on instead
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + service.module(), e);
            }
        }
    }

    /** One GET of a health path: its status (0 when nothing answered) and body. */
    public HealthAnswer health(String path) {
        return health(port, path);
    }

    /**
     * One GET of a health path of a service on this machine (one this JVM did not start, too).
     *
     * @param port the service's HTTP port
     * @param path e.g. {@code /q/health/ready}
     * @return its status (0 when nothing answered) and body
     */
    public static HealthAnswer health(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new HealthAnswer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new HealthAnswer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthAnswer(0, "interrupted");
        }
    }

    /**
     * Stops the JVM (SIGTERM: Quarkus shuts down gracefully) and anything it started, killing what
     * is left after {@code grace}.
     *
     * @return processes that survived even SIGKILL (empty normally)
     */
    public List<ProcessHandle> stop(Duration grace) {
        return ProcessTrees.stop(process.toHandle(), grace);
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return service.module() + " (pid " + process.pid() + ", port " + port + ", log " + log + ")";
    }

    /**
     * The answer of a health endpoint.
     *
     * @param status HTTP status, 0 when the connection failed
     * @param body response body or the connection error
     */
    public record HealthAnswer(int status, String body) {
        @Override
        public String toString() {
            return (status == 0 ? "unreachable" : "HTTP " + status) + " " + body.strip();
        }
    }
}
