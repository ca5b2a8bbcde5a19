package dev.realitycheck.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code bin/realitycheck up} left running, as the small file {@link RunDirectory#stateFile()}
 * ({@code .run/stack.properties}): the pid of the supervisor (the detached JVM that holds the
 * {@link LocalStack}), the broker's pid and bootstrap servers, and each service's pid and port. The
 * client commands read their default addresses from it; {@code status} and {@code down} find the
 * processes through it.
 *
 * @param supervisorPid the JVM that started the stack and stops it on SIGTERM
 * @param runDirectory the stack's run directory (logs, pid files, data)
 * @param bootstrapServers the broker, {@code 127.0.0.1:port}
 * @param kafkaPid the broker's JVM (0 when the stack uses a broker it did not start)
 * @param services each service's pid and port, every {@link StackService} present
 * @param startedAt when every part was healthy
 */
public record StackState(long supervisorPid, Path runDirectory, String bootstrapServers, long kafkaPid,
                         Map<StackService, Endpoint> services, Instant startedAt) {

    /**
     * One service of the stack.
     *
     * @param pid its JVM
     * @param port HTTP, health, metrics and gRPC
     */
    public record Endpoint(long pid, int port) {
        /** Validates the pid and port. */
        public Endpoint {
            if (pid <= 0) {
                throw new IllegalArgumentException("pid must be > 0, got " + pid);
            }
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
        }

        /** {@code 127.0.0.1:port}: gRPC (plaintext) and HTTP share it. */
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    /** Validates every field; the services map is copied. */
    public StackState {
        if (supervisorPid <= 0) {
            throw new IllegalArgumentException("supervisor pid must be > 0, got " + supervisorPid);
        }
        if (runDirectory == null || bootstrapServers == null || bootstrapServers.isBlank() || startedAt == null) {
            throw new IllegalArgumentException("run directory, bootstrap servers and start time are required");
        }
        if (kafkaPid < 0) {
            throw new IllegalArgumentException("kafka pid must be >= 0, got " + kafkaPid);
        }
        if (services == null || services.size() != StackService.values().length) {
            throw new IllegalArgumentException("every service needs an endpoint, got " + services);
        }
        services = Map.copyOf(new EnumMap<>(services));
    }

    /** The endpoint of one service. */
    public Endpoint service(StackService service) {
        return services.get(service);
    }

    /** The pids of the broker (when started here) and the services, supervisor excluded. */
    public List<Long> partPids() {
        List<Long> pids = new ArrayList<>();
        if (kafkaPid > 0) {
            pids.add(kafkaPid);
        }
        for (StackService s : StackService.values()) {
            pids.add(services.get(s).pid());
        }
        return pids;
    }

    /** True while the supervisor JVM runs (a stopped or killed one leaves a stale file). */
    public boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Writes the file atomically (a reader never sees half of it). */
    public void write(Path file) {
        Properties p = new Properties();
        p.setProperty("supervisor.pid", Long.toString(supervisorPid));
        p.setProperty("run-dir", runDirectory.toString());
        p.setProperty("kafka.bootstrap-servers", bootstrapServers);
        p.setProperty("kafka.pid", Long.toString(kafkaPid));
        for (StackService s : StackService.values()) {
            p.setProperty(s.module() + ".pid", Long.toString(services.get(s).pid()));
            p.setProperty(s.module() + ".port", Integer.toString(services.get(s).port()));
        }
        p.setProperty("started-at", startedAt.toString());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                p.store(w, "the local stack of bin/realitycheck up; bin/realitycheck down stops it");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the file.
     *
     * @return empty when there is no such file
     * @throws IllegalStateException when the file is there but not a stack state
     */
    public static Optional<StackState> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            Map<StackService, Endpoint> services = new EnumMap<>(StackService.class);
            for (StackService s : StackService.values()) {
                services.put(s, new Endpoint(Long.parseLong(required(p, s.module() + ".pid")),
                        Integer.parseInt(required(p, s.module() + ".port"))));
            }
            return Optional.of(new StackState(Long.parseLong(required(p, "supervisor.pid")), Path.of(required(p, "run-dir")),
                    required(p, "kafka.bootstrap-servers"), Long.parseLong(required(p, "kafka.pid")), services,
                    Instant.parse(required(p, "started-at"))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalStateException(file + " is not a local stack's state (" + e.getMessage()
                    + "); delete it after deploy/local/stop", e);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("no " + key);
        }
        return v.strip();
    }
}
