package dev.realitycheck.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run directory the local stack shares between its processes (default {@code .run/} in
 * the repository):
 * <pre>
 * logs/&lt;name&gt;.log     each process's standard output and error (kafka.log for the broker)
 * pids/&lt;name&gt;.pid     the pid of each running process; deploy/local/stop kills what they name
 * data/kafka/         the broker's data (fresh for every stack; deploy/local/kafka keeps its own in kafka/)
 * work/&lt;service&gt;/     each service's work directory (checkpoints, unpacked models)
 * lib/                ParentWatch.class, the main class that ties each service to the launcher
 * stack.properties    what bin/realitycheck up left running ({@link StackState}), until bin/realitycheck down
 * </pre>
 * Every process the local stack starts carries {@link #marker()} on its command line, so that
 * {@code deploy/local/stop} kills a recorded pid only if it is still one of ours.
 *
 * @param root the directory (absolute)
 */
public record RunDirectory(Path root) {

    /** System property put on every started command line; its value is the run directory. */
    public static final String MARKER_PROPERTY = "realitycheck.local-stack.run-dir";

    /** Validates and normalises the path. */
    public RunDirectory {
        if (root == null) {
            throw new IllegalArgumentException("run directory must not be null");
        }
        root = root.toAbsolutePath().normalize();
    }

    /** The {@code -D} option every started process carries. */
    public String marker() {
        return "-D" + MARKER_PROPERTY + "=" + root;
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    public Path pids() {
        return root.resolve("pids");
    }

    public Path pidFile(String name) {
        return pids().resolve(name + ".pid");
    }

    public Path kafkaData() {
        return root.resolve("data").resolve("kafka");
    }

    public Path work(StackService service) {
        return root.resolve("work").resolve(service.module());
    }

    public Path lib() {
        return root.resolve("lib");
    }

    /** {@code stack.properties}: the {@link StackState} of a stack started by {@code bin/realitycheck up}. */
    public Path stateFile() {
        return root.resolve("stack.properties");
    }

    /** Creates logs/, pids/ and lib/ with ParentWatch.class in it. */
    void prepare() {
        try {
            Files.createDirectories(logs());
            Files.createDirectories(pids());
            Path classFile = lib().resolve(ParentWatch.class.getName().replace('.', '/') + ".class");
            Files.createDirectories(classFile.getParent());
            try (InputStream in = ParentWatch.class.getResourceAsStream(ParentWatch.class.getSimpleName() + ".class")) {
                if (in == null) {
                    throw new IllegalStateException("ParentWatch.class is not readable as a resource");
                }
                Files.write(classFile, in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the run directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** Records a started process (deploy/local/stop kills it if it still carries {@link #marker()}). */
    public void writePid(String name, long pid) {
        try {
            Files.writeString(pidFile(name), pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pidFile(name) + ": " + e.getMessage(), e);
        }
    }

    /** Forgets a stopped process. */
    public void deletePid(String name) {
        try {
            Files.deleteIfExists(pidFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + pidFile(name) + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or directory tree below the run directory (the previous run's broker data, log, work dirs). */
    void clear(Path dir) {
        if (!dir.startsWith(root) || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
