package dev.realitycheck.cli;

import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.retrieval.BlockScores;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * One evaluation split over local worker processes ({@code realitycheck evaluate --workers N}):
 * the queries are cut into N contiguous blocks, worker i is a JVM that runs
 * {@link EvaluateCommand#main} with {@code --block FROM,TO --block-output FILE}, reads the same
 * files, scores its block against the whole reference set and writes its {@link BlockScores};
 * the parent reads them back for {@link dev.realitycheck.retrieval.RetrievalEvaluator#combine}.
 * A worker process is a plain JVM on this tool's class path (no Quarkus start), with the JVM
 * flags this process was started with that the engine needs (the Vector API module), and the
 * collector and the compile commands (the engine's compile threshold among them)
 * {@code bin/realitycheck evaluate} starts with (RC_EVALUATE_FLAGS in {@code bin/jdk.sh}).
 */
final class LocalWorkers {

    /** What one worker did. */
    record Result(BlockScores scores, long cpuNanos, long wallNanos) {
        Result {
            if (scores == null || cpuNanos < 0 || wallNanos < 0) {
                throw new IllegalArgumentException("a worker result needs its scores and non-negative times");
            }
        }
    }

    /** The line a worker prints on standard output with its own CPU time. */
    static final String CPU_LINE = "worker-cpu-nanos ";

    private LocalWorkers() {
    }

    /** The {@code evaluate} arguments of a worker for query = reference (callers add reference options). */
    static List<String> arguments(Path embeddings, Path labels, KnnDistance distance, int threads, int[] recallAt) {
        return new ArrayList<>(List.of(embeddings.toString(), labels.toString(), "--distance", distance.id(),
                "--threads", Integer.toString(threads), "--recall-at",
                Arrays.stream(recallAt).mapToObj(Integer::toString).collect(Collectors.joining(","))));
    }

    /** Block i of {@code queries} split into {@code workers} contiguous blocks: {@code {from, to}}. */
    static int[] block(int queries, int workers, int i) {
        return new int[] {(int) ((long) queries * i / workers), (int) ((long) queries * (i + 1) / workers)};
    }

    /**
     * Runs {@code workers} worker processes at once and waits for all of them.
     *
     * @param queries   how many queries the evaluation has (at least {@code workers})
     * @param arguments for worker i, the {@code evaluate} arguments without the block options
     * @return one result per worker, in block order
     * @throws InputException when a worker fails (with the end of its error output)
     */
    static List<Result> run(int queries, int workers, IntFunction<List<String>> arguments) {
        if (workers < 1 || workers > queries) {
            throw new InputException("--workers must be between 1 and the " + queries + " queries, got " + workers);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("realitycheck-workers");
        } catch (IOException e) {
            throw new InputException("cannot create a directory for the workers' results: " + e.getMessage());
        }
        List<Process> processes = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < workers; i++) {
                int[] block = block(queries, workers, i);
                List<String> command = new ArrayList<>(javaCommand());
                command.add(EvaluateCommand.class.getName());
                command.addAll(arguments.apply(i));
                command.addAll(List.of("--block", block[0] + "," + block[1],
                        "--block-output", dir.resolve("block-" + i + ".bin").toString()));
                processes.add(new ProcessBuilder(command)
                        .redirectOutput(dir.resolve("out-" + i + ".txt").toFile())
                        .redirectError(dir.resolve("err-" + i + ".txt").toFile())
                        .start());
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                int exit = processes.get(i).waitFor();
                long wall = System.nanoTime() - start;
                if (exit != 0) {
                    throw new InputException("worker " + (i + 1) + " of " + workers + " failed (exit " + exit + "): "
                            + tail(dir.resolve("err-" + i + ".txt")));
                }
                BlockScores scores;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve("block-" + i + ".bin")))) {
                    scores = BlockScores.readFrom(new DataInputStream(in));
                }
                results.add(new Result(scores, cpuNanos(dir.resolve("out-" + i + ".txt")), wall));
            }
            return results;
        } catch (IOException e) {
            throw new InputException("worker processes: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("interrupted while waiting for the workers");
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            deleteQuietly(dir);
        }
    }

    /**
     * The java command line of a worker: this JVM's executable and engine flags, and this tool's
     * class path; a packaged tool ({@code quarkus-app/quarkus-run.jar}, whose own manifest names
     * no libraries) is opened up into its {@code app}, {@code lib/main} and {@code lib/boot} jars.
     */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-modules") || flag.startsWith("--enable-native-access")
                    || flag.startsWith("--sun-misc-unsafe-memory-access") || flag.startsWith("-Xmx")
                    || flag.startsWith("-XX:CompileCommand=") || flag.equals("-XX:+UseSerialGC")) {
                command.add(flag);
            }
        }
        String classPath = System.getProperty("java.class.path");
        Path single = Path.of(classPath);
        if (!classPath.contains(File.pathSeparator) && single.getFileName().toString().equals("quarkus-run.jar")) {
            Path app = single.toAbsolutePath().getParent();
            classPath = String.join(File.pathSeparator, app.resolve("app") + File.separator + "*",
                    app.resolve("lib/main") + File.separator + "*", app.resolve("lib/boot") + File.separator + "*");
        }
        command.addAll(List.of("-cp", classPath));
        return command;
    }

    private static long cpuNanos(Path out) throws IOException {
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith(CPU_LINE)) {
                return Long.parseLong(line.substring(CPU_LINE.length()).trim());
            }
        }
        throw new IOException("a worker did not report its CPU time");
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no error output)";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
