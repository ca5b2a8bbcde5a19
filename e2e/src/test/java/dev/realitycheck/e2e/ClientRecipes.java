package dev.realitycheck.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the client recipes under {@code clients/} (Python package, Node recipe, kcat script) as
 * child processes with a bounded wait; what they print is returned, not inherited, so a failure
 * shows it in the assertion message.
 */
final class ClientRecipes {

    /** What a command printed (stdout and stderr together) and how it ended. */
    record Outcome(int exitCode, String output) {
        Outcome {
            if (output == null) {
                throw new IllegalArgumentException("output is required (empty when nothing was printed)");
            }
        }
    }

    private ClientRecipes() {
    }

    /** Runs {@code command} in {@code dir} with {@code env} added; fails the test if it outlives {@code timeout}. */
    static Outcome run(Path dir, Map<String, String> env, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("client-recipe", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s; it printed:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The first of {@code programs} that is neither an executable path nor on the PATH, if any. */
    static Optional<String> missing(String... programs) {
        List<Path> path = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(p -> !p.isEmpty()).map(Path::of).toList();
        return Arrays.stream(programs).filter(program -> program.contains("/")
                ? !Files.isExecutable(Path.of(program))
                : path.stream().noneMatch(dir -> Files.isExecutable(dir.resolve(program)))).findFirst();
    }
}
